import io
import random

import pytest

from accounts.models import CustomerClass
from billing import demo
from billing.models import Bill, MeterReading, Tariff
from tests.factories.accounts import ServiceConnectionFactory

pytestmark = pytest.mark.django_db


def test_demo_data_gives_every_class_a_tariff_and_each_connection_a_year_of_bills():
    CustomerClass.objects.create(code="IND", name="Industri")
    connections = [ServiceConnectionFactory() for _ in range(5)]
    demo.seed(rng=random.Random(1), progress=False, stdout=io.StringIO())
    assert Tariff.objects.count() == CustomerClass.objects.count()
    for connection in connections:
        assert Bill.objects.filter(connection=connection).count() == 12
    assert MeterReading.objects.filter(connection=connections[0]).count() >= 12
    assert Bill.objects.filter(status=Bill.Status.OPEN).count() >= 5
