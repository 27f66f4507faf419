"""Demo billing data: a tariff for every demo customer class, a late-fee rule, twelve months of readings and
bills for the demo connections (most paid, some in arrears). Works on what accounts.demo created, in bulk."""

import io
import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from tqdm import tqdm

from accounts.bulk import insert_rows
from accounts.demo import DEMO_CUSTOMER_EMAIL
from accounts.models import CustomerClass, ServiceConnection
from billing.billrun import run_bill_run
from billing.models import Bill, LateFeeRule, MeterReading, SelfReading, Tariff, TariffBlock, TariffFixedCharge
from billing.periods import add_months, due_date_for
from billing.self_readings import assess

TARIFF_START = date(2024, 1, 1)
MONTHS = 12
BATCH = 20_000

# code → (blocks as (from, to, Rp/m³), minimum m³, administration Rp, typical monthly usage m³);
# modelled on published PDAM tariffs of 2024.
TARIFFS: dict[str, tuple[tuple[tuple[int, int | None, int], ...], int, int, int]] = {
    "SOS": (((0, 10, 1000), (10, 20, 1300), (20, None, 1700)), 10, 2500, 14),
    "R1": (((0, 10, 2300), (10, 20, 2800), (20, None, 3500)), 10, 3000, 15),
    "R2": (((0, 10, 3300), (10, 20, 4300), (20, None, 5500)), 10, 3000, 18),
    "R3": (((0, 10, 4500), (10, 20, 5800), (20, None, 7300)), 10, 3500, 22),
    "R4": (((0, 10, 6500), (10, 20, 8000), (20, None, 10000)), 10, 4000, 28),
    "NIA": (((0, 10, 7000), (10, 20, 8500), (20, None, 11000)), 10, 5000, 35),
    "IND": (((0, 10, 9500), (10, 20, 11500), (20, None, 14000)), 20, 7500, 120),
    "INS": (((0, 10, 5000), (10, 20, 6500), (20, None, 8000)), 10, 5000, 40),
}
DEFAULT_CLASS = "R2"
FIXED_CHARGES = {"1/2": 10000, "3/4": 15000, "1": 25000, "1 1/2": 40000, "2": 60000, "3": 100000, "4": 150000}


def seed(*, rng: random.Random, progress: bool, stdout: TextIO) -> None:
    _tariffs()
    LateFeeRule.objects.get_or_create(
        code="denda-1", defaults={"name": "Denda keterlambatan", "days_overdue": 0, "amount": 10000}
    )
    current = timezone.localdate().replace(day=1)
    periods = [add_months(current, -n) for n in range(MONTHS - 1, -1, -1)]
    typical = {c.pk: TARIFFS.get(c.code, TARIFFS[DEFAULT_CLASS])[3] for c in CustomerClass.objects.all()}
    connections = list(
        ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE)
        .exclude(readings__isnull=False)
        .values_list("pk", "customer_class_id")
        .distinct()
    )
    _readings(connections, periods, typical, rng, progress)
    for period in tqdm(periods, desc="bills", disable=not progress, file=stdout):
        run_bill_run(period)
    _settle_history([pk for pk, _ in connections], periods, rng)
    waiting = _self_readings(add_months(current, 1), rng)
    stdout.write(f"Billing: {waiting} meter stands from customers wait for review.\n")
    stdout.write(f"Billing: {len(connections)} connections with {MONTHS} months of readings and bills.\n")


def _tariffs() -> None:
    for customer_class in CustomerClass.objects.all():
        blocks, minimum, admin_fee, _usage = TARIFFS.get(customer_class.code, TARIFFS[DEFAULT_CLASS])
        tariff, created = Tariff.objects.get_or_create(
            customer_class=customer_class,
            effective_from=TARIFF_START,
            defaults={"minimum_usage": minimum, "admin_fee": admin_fee},
        )
        if created:
            TariffBlock.objects.bulk_create(
                TariffBlock(tariff=tariff, from_m3=lo, to_m3=hi, price_per_m3=price) for lo, hi, price in blocks
            )
            TariffFixedCharge.objects.bulk_create(
                TariffFixedCharge(tariff=tariff, meter_size=size, amount=amount)
                for size, amount in FIXED_CHARGES.items()
            )


READING_COLUMNS = (
    "connection_id, period, reading, previous_reading, usage, read_on, source, flagged, flag_reason, created_at"
)
READING_TYPES = ["int8", "date", "int4", "int4", "int4", "date", "varchar", "bool", "varchar", "timestamptz"]


def _readings(connections, periods, typical, rng: random.Random, progress: bool) -> None:
    """A baseline reading before the first period, then a field reading at the start of every month."""
    rows: list[tuple] = []
    now, field = timezone.now(), MeterReading.Source.FIELD.value
    baseline, baseline_on = add_months(periods[0], -1), periods[0] - timedelta(28)
    for pk, class_id in tqdm(connections, desc="readings", disable=not progress):
        usual = typical.get(class_id, 18)
        stand = rng.randint(100, 3000)
        rows.append((pk, baseline, stand, None, None, baseline_on, field, False, "", now))
        for period in periods:
            if rng.random() < 0.03:  # the reader found the gate locked: the bill run estimates this month
                continue
            usage = max(0, round(rng.gauss(usual, usual * 0.25)))
            if rng.random() < 0.01:
                usage *= 3  # a leak
            read_on = period + timedelta(days=rng.randint(0, 4))
            rows.append((pk, period, stand + usage, stand, usage, read_on, field, False, "", now))
            stand += usage
        if len(rows) >= BATCH:
            insert_rows(MeterReading, READING_COLUMNS, READING_TYPES, rows)
            rows.clear()
    insert_rows(MeterReading, READING_COLUMNS, READING_TYPES, rows)


def _settle_history(ids: list[int], periods, rng: random.Random) -> None:
    """Most households pay every month; about one in ten also owes the two months before this one. This
    month's bills are open until their due date; after it, most have been paid and the rest are overdue."""
    in_arrears = {pk for pk in ids if rng.random() < 0.1}
    past = periods[:-1]
    current = periods[-1]
    # The demo customer always owes this month's bill, so paying can be tried at once.
    demo_customer = set(
        ServiceConnection.objects.filter(links__user__email=DEMO_CUSTOMER_EMAIL).values_list("pk", flat=True)
    )
    late_this_month = {pk for pk in ids if rng.random() < 0.15 or pk in demo_customer}
    ordered = sorted(ids)
    # By ranges of connections: a list of every connection in arrears is one query parameter per connection, and
    # Postgres takes at most 65,535 bound parameters in a statement (700,000 connections have more).
    chunks = [ordered[start : start + BATCH] for start in range(0, len(ordered), BATCH)]
    with transaction.atomic():
        for period in past + ([current] if timezone.localdate() > due_date_for(current) else []):
            paid_at = timezone.make_aware(datetime.combine(period + timedelta(days=rng.randint(5, 15)), time(10)))
            for chunk in chunks:
                settled = Bill.objects.filter(
                    period=period, status=Bill.Status.OPEN, connection_id__gte=chunk[0], connection_id__lte=chunk[-1]
                )
                if period >= periods[-3]:
                    settled = settled.exclude(connection_id__in=[pk for pk in chunk if pk in in_arrears])
                if period == current:
                    settled = settled.exclude(connection_id__in=[pk for pk in chunk if pk in late_this_month])
                settled.update(status=Bill.Status.PAID, paid_at=min(paid_at, timezone.now()))


SELF_READINGS = 2


def _meter_photo(stand: int) -> ContentFile:
    """A drawn meter face showing the stand: enough for a reviewer to compare the digits with the number sent."""
    image = Image.new("RGB", (480, 320), (235, 235, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 20, 440, 300), outline=(60, 60, 60), width=6)
    draw.rectangle((130, 130, 350, 180), fill=(20, 20, 20))
    draw.text((150, 145), f"{stand:08d} m3", fill=(250, 250, 250))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return ContentFile(output.getvalue(), name="demo-meter.jpg")


def _self_readings(period: date, rng: random.Random) -> int:
    """A couple of customers' meter stands waiting in the review queue (the demo customer's first), one of them far
    above usual so the reviewer sees what the customer had to confirm. None when stands for the period exist."""
    if SelfReading.objects.filter(period=period).exists():
        return 0
    demo_first = ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE, readings__isnull=False)
    candidates = list(demo_first.filter(links__user__email=DEMO_CUSTOMER_EMAIL).distinct()[:1]) + list(
        demo_first.exclude(links__user__email=DEMO_CUSTOMER_EMAIL).distinct().order_by("pk")[:SELF_READINGS]
    )
    now = timezone.now()
    for position, connection in enumerate(candidates[:SELF_READINGS]):
        last = connection.readings.filter(period__lt=period).order_by("-period").first()
        if last is None:
            continue
        usual = last.usage or 15
        stand = last.reading + (usual * 3 if position == 1 else max(usual + rng.randint(-2, 2), 0))
        found = assess(connection, period, stand)
        item = SelfReading(
            connection=connection,
            period=period,
            reading=stand,
            previous_reading=found.previous,
            usage=found.usage,
            check_reason=found.check_reason,
            photo_taken_at=now - timedelta(minutes=20 + position),
            status=SelfReading.Status.PENDING,
            submitted_at=now - timedelta(minutes=10 + position),
        )
        item.photo.save(f"demo-meter-{connection.pk}.jpg", _meter_photo(stand), save=False)
        item.save()
    return SelfReading.objects.filter(period=period, status=SelfReading.Status.PENDING).count()
