"""The Celery application. Settings come from Django's settings module (keys prefixed CELERY_)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("tirta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
