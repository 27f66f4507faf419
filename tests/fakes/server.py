"""A provider's local fake as a small WSGI server in a thread, on the helper's own ports (no internet)."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PORTS = range(8750, 8800)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class _Threaded(WSGIServer):
    daemon_threads = True


@contextmanager
def serving(app: Callable) -> Iterator[str]:
    """Serve the WSGI app on the first free port of PORTS; yields its base URL."""
    for port in PORTS:
        try:
            server = make_server("127.0.0.1", port, app, server_class=_Threaded, handler_class=_Quiet)
            break
        except OSError:
            continue
    else:
        raise OSError("no free port for a provider fake")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
