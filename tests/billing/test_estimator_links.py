"""The estimator is reachable from the home page and a connection's page, prefilled with the customer's class."""

import re

import pytest
from django.urls import reverse

from accounts.models import CustomerClass
from tests.factories.billing import TariffFactory

pytestmark = pytest.mark.django_db


def estimator_link(body):
    match = re.search(r'href="(' + re.escape(reverse("billing:estimate")) + r'[^"]*)"', body)
    return match[1].replace("&amp;", "&") if match else None


def selected(body, name):
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S)[0]
    return re.search(r'<option value="([^"]*)"[^>]*selected', select)[1]


def test_the_home_page_links_the_estimator(client):
    assert estimator_link(client.get(reverse("portal:home")).content.decode()) == reverse("billing:estimate")


def test_the_connection_page_opens_the_estimator_with_the_connections_class(customer_client, customer_connection):
    business = CustomerClass.objects.create(code="N1", name="Niaga Kecil")
    TariffFactory(customer_class=business)
    customer_connection.customer_class = business
    customer_connection.meter_size = "3/4"
    customer_connection.save()
    page = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number]))
    estimator = customer_client.get(estimator_link(page.content.decode())).content.decode()
    assert selected(estimator, "customer_class") == str(business.pk)
    assert selected(estimator, "meter_size") == "3/4"
    assert "tidak boleh kosong" not in estimator  # a form to complete, not a page of errors
