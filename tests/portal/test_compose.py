"""No Docker engine runs here, so the compose file is checked by reading it."""

import re

import yaml
from django.conf import settings


def load():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_the_production_shape():
    assert set(load()["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_web_worker_and_beat_run_the_right_programs_on_postgres_and_redis():
    services = load()["services"]
    assert "gunicorn portal.wsgi:application" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_stateful_services_have_health_checks_and_postgres_a_volume():
    services = load()["services"]
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "pgdata" in load()["volumes"]


def _image_packages() -> set[str]:
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    command = re.search(r"apt-get install ([^&]+)&&", dockerfile.replace("\\\n", " ")).group(1)
    return {word for word in command.split() if not word.startswith("-")}


def _ci_packages() -> set[str]:
    return set(re.search(r"^packages=\(([^)]*)\)", (settings.BASE_DIR / ".ci/run").read_text(), re.M).group(1).split())


def test_the_image_has_every_system_library_the_tests_render_pdfs_with():
    """CI installs WeasyPrint's libraries (pango, the C font subsetter, the fonts) and the PDF tests pass with
    them; the production image must install the same, or receipts render slower or not at all there."""
    test_only = {"chromium", "gettext"}
    assert _ci_packages() - test_only <= _image_packages()
