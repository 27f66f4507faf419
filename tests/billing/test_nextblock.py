"""The month so far: usage, projection and the next tariff block, on the dashboard and the connection page."""

import datetime

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS

from billing.nextblock import outlook, outlooks
from billing.periods import add_months
from billing.tariffs import Block
from tests.factories.accounts import ConnectionLinkFactory
from tests.factories.billing import MeterReadingFactory, TariffFactory

# The brief's example: 0–10 m³ at Rp 3.300, 11–20 m³ at Rp 4.300, above at Rp 6.000.
BLOCKS = ((0, 10, 3300), (10, 20, 4300), (20, None, 6000))
R2_BLOCKS = tuple(Block(lo, hi, price) for lo, hi, price in BLOCKS)
DECEMBER = datetime.date(2026, 12, 1)


def reading(period, usage, read_on=None, stand=None, **kwargs):
    """An unsaved reading: the service reads only period, reading, usage, read_on and flagged."""
    stand = 100 + usage if stand is None else stand
    return MeterReadingFactory.build(
        period=period,
        reading=stand,
        previous_reading=stand - usage,
        read_on=read_on or period.replace(day=1),
        **kwargs,
    )


JANUARY = add_months(DECEMBER, 1)
# December's opening reading (read on 1 December: November's 30 m³) at stand 500.
OPENING = reading(DECEMBER, 30, stand=500)
# September to November 2026 (the readings of October to December): 91 m³ in 91 days.
A_M3_A_DAY = [OPENING] + [reading(add_months(DECEMBER, -n), usage) for n, usage in ((1, 31), (2, 30))]


def own_stand(stand, day, **kwargs):
    """A stand read in December's last days for January's bill (the customer's own, accepted)."""
    return reading(JANUARY, stand - 500, stand=stand, read_on=datetime.date(2026, 12, day), **kwargs)


def test_a_stand_read_after_the_months_opening_reading_gives_the_usage_so_far_and_the_next_block():
    found = outlook([own_stand(509, 27), OPENING], R2_BLOCKS, datetime.date(2026, 12, 28))
    assert (found.used, found.measured, found.since) == (9, True, DECEMBER)
    assert (found.next_from, found.next_price, found.price_now) == (11, 4300, 3300)


def test_the_months_opening_reading_measures_last_month_and_is_not_this_months_usage():
    found = outlook(A_M3_A_DAY, R2_BLOCKS, datetime.date(2026, 12, 2))
    assert (found.used, found.measured) == (2, False)


def test_the_rest_of_the_month_is_projected_at_the_recent_daily_average():
    found = outlook([own_stand(509, 27), *A_M3_A_DAY], R2_BLOCKS, datetime.date(2026, 12, 28))
    assert found.projected == 9 + 4  # 1 m³ a day for the 4 days left after the stand


def test_without_a_later_stand_the_recent_daily_average_gives_usage_so_far():
    found = outlook(A_M3_A_DAY, R2_BLOCKS, datetime.date(2026, 12, 10))
    assert (found.used, found.measured, found.projected) == (10, False, 31)
    assert found.next_from == 11


def test_a_flagged_later_stand_is_not_trusted():
    found = outlook([own_stand(550, 27, flagged=True), *A_M3_A_DAY], R2_BLOCKS, datetime.date(2026, 12, 28))
    assert found.measured is False


def test_in_the_top_block_there_is_no_next_block():
    found = outlook([own_stand(525, 27), OPENING], R2_BLOCKS, datetime.date(2026, 12, 28))
    assert (found.next_from, found.price_now) == (None, 6000)


def test_the_tenth_m3_is_still_in_the_first_block():
    found = outlook([own_stand(510, 27), OPENING], R2_BLOCKS, datetime.date(2026, 12, 28))
    assert (found.price_now, found.next_from) == (3300, 11)


def test_nothing_is_said_without_any_reading():
    assert outlook([], R2_BLOCKS, DECEMBER) is None


# --- on the pages ---------------------------------------------------------------------------------------


def this_month_reading(connection, usage):
    """The month's opening reading on its first day and a stand `usage` m³ later read today (for next month)."""
    TariffFactory(customer_class=connection.customer_class, blocks=BLOCKS)
    today = timezone.localdate()
    month = today.replace(day=1)
    MeterReadingFactory(connection=connection, period=month, reading=200, previous_reading=190, read_on=month)
    MeterReadingFactory(
        connection=connection,
        period=add_months(month, 1),
        reading=200 + usage,
        previous_reading=200,
        read_on=today,
        source="customer",
    )
    return today


SENTENCE = "Anda telah memakai 9 m³ sejak {since}; mulai m³ ke-11 setiap m³ seharga Rp 4.300, bukan Rp 3.300."


@pytest.mark.django_db
def test_the_dashboard_says_where_the_next_block_starts(customer_client, customer_connection):
    today = this_month_reading(customer_connection, 9)
    body = customer_client.get(reverse("portal:dashboard")).content.decode()
    assert SENTENCE.format(since=f"1 {_month_name(today)}") in body


@pytest.mark.django_db
def test_the_connection_page_says_where_the_next_block_starts(customer_client, customer_connection):
    today = this_month_reading(customer_connection, 9)
    body = customer_client.get(reverse("billing:connection", args=[customer_connection.account_number])).content
    assert SENTENCE.format(since=f"1 {_month_name(today)}") in body.decode()


@pytest.mark.django_db
def test_outlooks_of_many_connections_take_two_queries(customer, django_assert_num_queries):
    connections = [ConnectionLinkFactory(user=customer).connection for _ in range(3)]
    for connection in connections:
        this_month_reading(connection, 9)
    TariffFactory(customer_class=connections[0].customer_class, effective_from=datetime.date(2019, 1, 1))
    with django_assert_num_queries(2):
        found = outlooks(connections, timezone.localdate())
    assert {f.used for f in found.values()} == {9}
    assert {f.next_price for f in found.values()} == {4300}  # the 2020 tariff, not the 2019 one


@pytest.mark.django_db
def test_a_tariff_from_the_future_is_not_used_yet(customer_connection):
    this_month_reading(customer_connection, 9)
    TariffFactory(customer_class=customer_connection.customer_class, effective_from=datetime.date(2099, 1, 1))
    found = outlooks([customer_connection], timezone.localdate())
    assert found[customer_connection.pk].price_now == 3300


@pytest.mark.django_db
def test_the_dashboard_takes_as_many_queries_for_three_connections_as_for_one(
    customer_client, customer, customer_connection, django_assert_num_queries
):
    this_month_reading(customer_connection, 9)
    url = reverse("portal:dashboard")
    customer_client.get(url)  # warm the session and the cached notices
    with CaptureQueriesContext(db) as one:
        customer_client.get(url)
    for _ in range(2):
        this_month_reading(ConnectionLinkFactory(user=customer).connection, 9)
    with django_assert_num_queries(len(one)):
        body = customer_client.get(url).content.decode()
    assert body.count("data-next-block") == 3


def _month_name(day):
    with translation.override("id"):
        return str(MONTHS[day.month])
