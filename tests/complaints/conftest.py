import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Photos go to a temporary folder; rate-limit counters start at zero; code outside a request speaks
    Indonesian, the utility's language, whatever an earlier test's request left active."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    with translation.override("id"):
        yield
    cache.clear()
