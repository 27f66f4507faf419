"""Demo data: a few dozen tickets in every state and one outage under way, worked by accounts' demo staff."""

import random
from datetime import timedelta
from itertools import pairwise

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from accounts import roles
from accounts.models import Area, ServiceConnection, User
from complaints import sla
from complaints.categories import ensure_standard_categories
from complaints.models import Category, Complaint, ComplaintEvent, Outage
from complaints.services.tickets import allocate_tickets

COUNT = 36
S = Complaint.Status
PATH = [S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED]
STATES = [*PATH, S.REJECTED, S.DUPLICATE]
WEIGHTS = [6, 4, 5, 5, 4, 6, 2, 2]
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


def _first_of(role: str) -> User | None:
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def seed(*, rng: random.Random, progress: bool, stdout) -> None:
    if Complaint.objects.exists():
        stdout.write("complaints: tickets exist already, nothing added")
        return
    areas = list(Area.objects.order_by("pk"))
    if not areas:
        stdout.write("complaints: no areas yet, nothing added")
        return
    field, officer = _first_of(roles.FIELD), _first_of(roles.COMPLAINTS)
    connections = list(ServiceConnection.objects.select_related("area", "customer").order_by("pk")[:200])
    ensure_standard_categories()
    categories = list(Category.objects.filter(is_active=True))
    now = timezone.now()
    with transaction.atomic():
        outage = Outage.objects.create(
            kind=Outage.Kind.UNPLANNED,
            title="Perbaikan pipa transmisi utama",
            description="Aliran air terhenti sementara karena perbaikan pipa transmisi. Mobil tangki disiagakan.",
            starts_at=now - timedelta(hours=3),
            expected_end_at=now + timedelta(hours=9),
            created_by=officer,
        )
        outage_area = rng.choice(areas)
        outage.areas.set([outage_area])
        tickets = allocate_tickets(COUNT)
        complaints, events = [], []
        for ticket in tqdm(tickets, disable=not progress, desc="complaints"):
            category = rng.choice(categories)
            state = rng.choices(STATES, WEIGHTS)[0]
            filed = now - timedelta(hours=rng.randint(1, 24 * 20))
            connection = rng.choice(connections) if connections and rng.random() < 0.5 else None
            area = connection.area if connection else rng.choice(areas)
            complaint = Complaint(
                ticket=ticket,
                category=category,
                description=STORIES.get(category.code, STORIES["other"]),
                status=state,
                reporter_name=connection.customer.name if connection else rng.choice(NAMES),
                reporter_phone=f"+62812{rng.randint(10_000_000, 99_999_999)}",
                connection=connection,
                address=connection.address if connection else f"Jl. Sultan Alauddin No. {rng.randint(1, 120)}",
                area=area,
                assignee=field if state in (S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED) else None,
                outage=outage if category.outage_related and area == outage_area else None,
                reject_reason="Lokasi di luar wilayah layanan kami." if state == S.REJECTED else "",
                rating=rng.randint(3, 5) if state == S.CLOSED else None,
                created_at=filed,
                updated_at=filed,
                **sla.due_times(category, filed),
            )
            complaints.append(complaint)
        Complaint.objects.bulk_create(complaints, batch_size=500)
        originals = [c for c in complaints if c.status in PATH[1:4]]
        for complaint in complaints:
            if complaint.status == S.DUPLICATE and originals:
                complaint.duplicate_of = rng.choice(originals)
            events.append(
                ComplaintEvent(complaint=complaint, kind=ComplaintEvent.Kind.FILED, created_at=complaint.created_at)
            )
            steps = (
                PATH[: PATH.index(complaint.status) + 1] if complaint.status in PATH else [S.RECEIVED, complaint.status]
            )
            for number, (before, after) in enumerate(pairwise(steps), start=1):
                events.append(
                    ComplaintEvent(
                        complaint=complaint,
                        kind=ComplaintEvent.Kind.STATUS,
                        actor=field if after in (S.IN_PROGRESS, S.RESOLVED) else officer,
                        from_status=before,
                        to_status=after,
                        message=complaint.reject_reason if after == S.REJECTED else "",
                        created_at=complaint.created_at + timedelta(hours=number),
                    )
                )
        Complaint.objects.bulk_update([c for c in complaints if c.duplicate_of_id], ["duplicate_of"])
        ComplaintEvent.objects.bulk_create(events, batch_size=1000)
    stdout.write(f"complaints: {len(complaints)} tickets, 1 outage in {outage_area.name}")
