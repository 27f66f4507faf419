"""A partner with a key, a kelurahan, and the spec client in each format."""

import pytest

from accounts.partners import services as partners
from tests.complaints.open311.client import GeoReportClient
from tests.factories.accounts import AreaFactory


@pytest.fixture(params=["json", "xml"])
def geo(request, client) -> GeoReportClient:
    return GeoReportClient(client, request.param)


@pytest.fixture
def area():
    return AreaFactory(name="Cakranegara Barat", code="5271030001")


@pytest.fixture
def api_key() -> str:
    partner, _ = partners.register_partner(name="Lapor Mataram", partner_id="LAPOR-01")
    return partners.rotate_open311_key(partner)
