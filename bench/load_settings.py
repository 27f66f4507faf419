"""Settings of bench/http_load.py's server: the production settings module unchanged, plus one bare view.

Loaded as DJANGO_SETTINGS_MODULE=load_settings with bench/ on PYTHONPATH, so that nothing of the benchmark is
importable from the shipped code.
"""

from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import TEMPLATES

ROOT_URLCONF = "load_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
