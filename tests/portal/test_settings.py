"""Production settings fail closed and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.tirta.example",
    "DATABASE_URL": "",
    "PATH": os.environ["PATH"],
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**env, "VAR_DIR": str(settings.VAR_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_malformed_boolean_names_the_variable():
    result = manage("check", env={**PRODUCTION, "DEBUG": "maybe"})
    assert "DEBUG must be a boolean" in result.stderr


def test_commands_that_only_touch_source_files_run_without_production_secrets():
    result = manage("makemigrations", "--check", "--dry-run", env={"PATH": os.environ["PATH"]})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_serving_commands_still_refuse_without_secrets():
    result = manage("migrate", "--plan", env={"PATH": os.environ["PATH"]})
    assert "SECRET_KEY must be set" in result.stderr
