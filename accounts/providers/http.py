"""The providers' HTTP sessions: kept alive across a worker's batch, with the environment read once."""

import requests


def pin_environment(session: requests.Session, url: str) -> requests.Session:
    """Read the environment's proxy and CA settings (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) once for the
    provider at `url`, instead of on every request.

    With `trust_env` on, requests scans the whole environment and looks for ~/.netrc on each request: about a
    millisecond of CPU per message in bench/outbox_fanout.py, a fifth of the worker's cost per message.
    """
    found = session.merge_environment_settings(url, {}, None, None, None)
    session.proxies.update(found["proxies"])
    session.verify = found["verify"]
    session.trust_env = False
    return session
