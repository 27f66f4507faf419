"""Demo complaints: a year of tickets at a utility's rate (a few per 100 connections a month) across
categories, areas and states, and one outage under way, worked by accounts' demo staff. Written in bulk
(COPY on Postgres) like the rest of the demo, so that 1,000,000 connections stay practical."""

import random
from datetime import datetime, timedelta
from itertools import pairwise
from typing import TextIO

from django.db import connection as db
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from tqdm import tqdm

from accounts import roles
from accounts.bulk import insert_rows, reserve_ids
from accounts.models import Area, ServiceConnection, User
from complaints import sla
from complaints.categories import ensure_standard_categories
from complaints.models import Category, Complaint, ComplaintEvent, Outage
from complaints.services.tickets import allocate_tickets

# Tickets per 100 connections per month, all categories: the order of magnitude Indonesian PDAMs report.
MONTHLY_RATE_PER_100 = 3
MONTHS = 12
# A tiny demo still gets a working queue: at least this many tickets, filed over the last RECENT_DAYS.
MINIMUM = 36
RECENT_DAYS = 20
CONNECTED_SHARE = 0.6  # reports naming a customer's connection; the rest come from passers-by
BATCH = 10_000

S = Complaint.Status
PATH = [S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED]
STATES = [*PATH, S.REJECTED, S.DUPLICATE]
# State weights (in STATES order) by the ticket's age: fresh tickets are still being worked, old ones done.
WEIGHTS_BY_AGE = [
    (timedelta(days=2), [30, 20, 20, 15, 5, 2, 4, 4]),
    (timedelta(days=14), [4, 4, 8, 14, 25, 35, 5, 5]),
    (timedelta.max, [0, 0, 1, 2, 6, 78, 7, 6]),
]
CATEGORY_WEIGHTS = {
    "no_water": 22,
    "low_pressure": 18,
    "burst_pipe": 14,
    "meter_leak": 12,
    "billing": 10,
    "dirty_water": 8,
    "meter_broken": 8,
    "other": 5,
    "illegal_connection": 3,
}
STORIES = {
    "burst_pipe": "Pipa pecah di pinggir jalan, air menyembur dan menggenangi jalan.",
    "meter_leak": "Sambungan di meter rembes terus sejak kemarin.",
    "no_water": "Air tidak mengalir sejak subuh.",
    "low_pressure": "Air hanya menetes, tidak sampai ke bak mandi di lantai atas.",
    "dirty_water": "Air keruh kecokelatan dan berbau kaporit.",
    "meter_broken": "Kaca meter pecah, angkanya tidak terbaca.",
    "billing": "Tagihan bulan ini dua kali lipat dari biasanya.",
    "illegal_connection": "Ada sambungan liar ke pipa distribusi di gang sebelah.",
    "other": "Tutup boks meter hilang.",
}
NAMES = ["Andi Baso", "Sitti Aisyah", "Muh. Ilham", "Nurhayati", "Daeng Ngalle", "Rina Marlina", "Abdul Rahman"]
REJECT_REASON = "Lokasi di luar wilayah layanan kami."

COMPLAINT_COLUMNS = (
    "id, ticket, category_id, description, status, reporter_name, reporter_phone, reporter_email, connection_id, "
    "address, area_id, assignee_id, outage_id, duplicate_of_id, reject_reason, escalated, rating, rating_comment, "
    "created_at, updated_at, respond_warn_at, respond_due_at, warn_at, due_at, resolved_at"
)
COMPLAINT_TYPES = (
    ["bigint", "varchar", "bigint", "text", "varchar", "varchar", "varchar", "varchar", "bigint", "varchar"]
    + ["bigint", "bigint", "bigint", "bigint", "text", "bool", "smallint", "text"]
    + ["timestamptz"] * 7
)
EVENT_COLUMNS = "complaint_id, kind, public, actor_id, by_reporter, from_status, to_status, message, created_at"
EVENT_TYPES = ["bigint", "varchar", "bool", "bigint", "bool", "varchar", "varchar", "text", "timestamptz"]


def ticket_count(connections: int) -> int:
    """Tickets a year brings at `connections` connections (never fewer than the small demo's MINIMUM)."""
    return max(MINIMUM, round(connections * MONTHLY_RATE_PER_100 / 100 * MONTHS))


def _first_of(role: str) -> User | None:
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def seed(*, rng: random.Random, progress: bool, stdout: TextIO) -> None:
    if Complaint.objects.exists():
        stdout.write("complaints: tickets exist already, nothing added")
        return
    areas = list(Area.objects.order_by("pk").values_list("pk", flat=True))
    if not areas:
        stdout.write("complaints: no areas yet, nothing added")
        return
    ensure_standard_categories()
    count = ticket_count(ServiceConnection.objects.count())
    now = timezone.now()
    span = timedelta(days=RECENT_DAYS if count == MINIMUM else 365)
    filed = sorted(now - timedelta(seconds=rng.uniform(3600, span.total_seconds())) for _ in range(count))
    with transaction.atomic():
        seeder = _Seeder(rng, now, areas)
        bar = tqdm(total=count, desc="complaints", unit="ticket", disable=not progress)
        for start in range(0, count, BATCH):
            batch = filed[start : start + BATCH]
            seeder.write(batch)
            bar.update(len(batch))
        bar.close()
    stdout.write(f"complaints: {count} tickets over {span.days} days, 1 outage in area {seeder.outage_area}")


class _Seeder:
    """Writes tickets batch by batch; remembers recent open tickets so that duplicates can point at them."""

    def __init__(self, rng: random.Random, now: datetime, areas: list[int]) -> None:
        self.rng, self.now, self.areas = rng, now, areas
        self.field, self.officer = _first_of(roles.FIELD), _first_of(roles.COMPLAINTS)
        categories = {c.code: c for c in Category.objects.filter(is_active=True)}
        self.categories = list(categories.values())
        self.category_weights = [CATEGORY_WEIGHTS.get(code, 1) for code in categories]
        self.connection_ids = ServiceConnection.objects.aggregate(first=Min("pk"), last=Max("pk"))
        self.originals: list[tuple[int, datetime]] = []
        self.outage_area = rng.choice(areas)
        self.outage = Outage.objects.create(
            kind=Outage.Kind.UNPLANNED,
            title="Perbaikan pipa transmisi utama",
            description="Aliran air terhenti sementara karena perbaikan pipa transmisi. Mobil tangki disiagakan.",
            starts_at=now - timedelta(hours=3),
            expected_end_at=now + timedelta(hours=9),
            created_by=self.officer,
        )
        self.outage.areas.set([self.outage_area])

    def write(self, filed: list[datetime]) -> None:
        connections = self._connections(sum(self.rng.random() < CONNECTED_SHARE for _ in filed))
        tickets = self._tickets(filed)
        ids = _new_ids(len(filed))
        complaints, events = [], []
        for pk, ticket, at in zip(ids, tickets, filed, strict=True):
            row, steps = self._complaint(pk, ticket, at, connections.pop() if connections else None)
            complaints.append(row)
            events.extend(self._events(pk, at, steps, row[14]))
        insert_rows(Complaint, COMPLAINT_COLUMNS, COMPLAINT_TYPES, complaints)
        insert_rows(ComplaintEvent, EVENT_COLUMNS, EVENT_TYPES, events)

    def _connections(self, count: int) -> list[tuple]:
        """`count` random connections (a sample by id: the whole city need not be read)."""
        if not count or not self.connection_ids["last"]:
            return []
        ids = {self.rng.randint(self.connection_ids["first"], self.connection_ids["last"]) for _ in range(count)}
        rows = ServiceConnection.objects.filter(pk__in=ids).values_list("pk", "area_id", "address", "customer__name")
        return list(rows)

    @staticmethod
    def _tickets(filed: list[datetime]) -> list[str]:
        """Ticket numbers in filing order, from the counter of each ticket's year."""
        years = [timezone.localtime(at).year for at in filed]
        numbers: list[str] = []
        for year in sorted(set(years)):
            numbers.extend(allocate_tickets(years.count(year), year=year))
        return numbers

    def _complaint(self, pk: int, ticket: str, at: datetime, connection: tuple | None) -> tuple[list, list]:
        rng = self.rng
        category = rng.choices(self.categories, self.category_weights)[0]
        age = self.now - at
        weights = next(weights for limit, weights in WEIGHTS_BY_AGE if age < limit)
        state = rng.choices(STATES, weights)[0]
        steps = PATH[: PATH.index(state) + 1] if state in PATH else [S.RECEIVED, state]
        duplicate_of = None
        if state == S.DUPLICATE and self.originals:
            duplicate_of = rng.choice(self.originals[-200:])[0]
        if state in PATH[:4]:
            self.originals.append((pk, at))
        area = connection[1] if connection else rng.choice(self.areas)
        worked = state in (S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED)
        last_step = _step_time(at, len(steps) - 1, self.now)
        due = sla.due_times(category, at)
        row = [
            pk,
            ticket,
            category.pk,
            STORIES.get(category.code, STORIES["other"]),
            state.value,
            connection[3] if connection else rng.choice(NAMES),
            f"+62812{rng.randint(10_000_000, 99_999_999)}",
            "",
            connection[0] if connection else None,
            connection[2] if connection else f"Jl. Sultan Alauddin No. {rng.randint(1, 120)}",
            area,
            self.field.pk if worked and self.field else None,
            self.outage.pk if self._in_outage(category, area, age) else None,
            duplicate_of,
            REJECT_REASON if state == S.REJECTED else "",
            False,
            rng.randint(3, 5) if state == S.CLOSED else None,
            "",
            at,
            last_step,
            due["respond_warn_at"],
            due["respond_due_at"],
            due["warn_at"],
            due["due_at"],
            _step_time(at, PATH.index(S.RESOLVED), self.now) if state in (S.RESOLVED, S.CLOSED) else None,
        ]
        return row, steps

    def _in_outage(self, category: Category, area: int, age: timedelta) -> bool:
        return category.outage_related and area == self.outage_area and age < timedelta(hours=3)

    def _events(self, pk: int, at: datetime, steps: list, reject_reason: str) -> list[tuple]:
        events = [(pk, ComplaintEvent.Kind.FILED.value, True, None, False, "", "", "", at)]
        for number, (before, after) in enumerate(pairwise(steps), start=1):
            actor = self.field if after in (S.IN_PROGRESS, S.RESOLVED) else self.officer
            message = reject_reason if after == S.REJECTED else ""
            events.append(
                (
                    pk,
                    ComplaintEvent.Kind.STATUS.value,
                    True,
                    actor.pk if actor else None,
                    False,
                    before.value,
                    after.value,
                    message,
                    _step_time(at, number, self.now),
                )
            )
        return events


def _step_time(filed: datetime, step: int, now: datetime) -> datetime:
    """When the ticket's `step`-th change happened: hours apart, squeezed so that none lies in the future."""
    gap = min(timedelta(hours=6), (now - filed) / 8)
    return filed + gap * step


def _new_ids(count: int) -> list[int]:
    """Ids for `count` new tickets, known before writing so that their events (and duplicates) can name them."""
    if db.vendor == "postgresql":
        return reserve_ids(Complaint._meta.db_table, count)
    last = Complaint.objects.aggregate(last=Max("pk"))["last"] or 0
    return list(range(last + 1, last + 1 + count))
