import threading

import pytest
from django.db import connection

from complaints.models import TicketCounter
from complaints.services.tickets import allocate_tickets, normalise_ticket


@pytest.mark.django_db
def test_ticket_numbers_are_sequential_per_year():
    assert allocate_tickets(year=2026) == ["ADU-2026-000001"]
    assert allocate_tickets(2, year=2026) == ["ADU-2026-000002", "ADU-2026-000003"]
    assert allocate_tickets(year=2027) == ["ADU-2027-000001"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ADU-2026-000123", "ADU-2026-000123"),
        ("adu 2026 123", "ADU-2026-000123"),
        (" ADU2026-000123 ", "ADU-2026-000123"),
        ("ADU-26-1", ""),
        ("123", ""),
        ("", ""),
        ("ADU-2026-1'; DROP TABLE", ""),
    ],
)
def test_typed_ticket_numbers_are_read_leniently(typed, expected):
    assert normalise_ticket(typed) == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_never_share_a_number():
    results: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(5):
                results.extend(allocate_tickets(year=2030))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == len(set(results)) == 30
    assert TicketCounter.objects.get(year=2030).last == 30
