"""Synthetic customers and connections of a mid-sized Indonesian city, for the demo and benchmarks.

Deterministic for a given random generator, and bulk: 100,000 connections are a few batched INSERTs.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.contrib.postgres.indexes import GinIndex
from django.db import connection as db
from django.db import transaction
from faker import Faker
from tqdm import tqdm

from accounts import roles
from accounts.models import Area, ConnectionLink, Customer, CustomerClass, ServiceConnection, User

DEMO_PASSWORD = "tirta-demo"  # noqa: S105 - printed in the README on purpose
DEMO_CUSTOMER_EMAIL = "customer@demo.tirta.test"
DEMO_STAFF = {
    "counter@demo.tirta.test": ("Dewi Lestari", roles.COUNTER),
    "complaints@demo.tirta.test": ("Rahmat Hidayat", roles.COMPLAINTS),
    "field@demo.tirta.test": ("Andi Saputra", roles.FIELD),
    "billing@demo.tirta.test": ("Sri Wahyuni", roles.BILLING),
    "supervisor@demo.tirta.test": ("Ir. Hasanuddin", roles.SUPERVISOR),
}

DISTRICTS = {
    "Tamalate": ["Mangasa", "Parang Tambung", "Jongaya", "Balang Baru"],
    "Rappocini": ["Karunrung", "Gunung Sari", "Tidung", "Banta-Bantaeng"],
    "Panakkukang": ["Pandang", "Masale", "Karampuang", "Tamamaung"],
    "Biringkanaya": ["Daya", "Paccerakkang", "Sudiang", "Untia"],
    "Tallo": ["Kalukuang", "Rappokalling", "Lembo", "Buloa"],
    "Manggala": ["Antang", "Borong", "Bangkala", "Tamangapa"],
}

# code, name, share of connections, meter sizes it gets
CLASSES = [
    ("SOS", "Sosial", 0.03, ["1/2"]),
    ("R1", "Rumah Tangga 1", 0.10, ["1/2"]),
    ("R2", "Rumah Tangga 2", 0.60, ["1/2"]),
    ("R3", "Rumah Tangga 3", 0.12, ["1/2", "3/4"]),
    ("R4", "Rumah Tangga 4", 0.03, ["3/4", "1"]),
    ("NIA", "Niaga", 0.09, ["1/2", "3/4", "1"]),
    ("IND", "Industri", 0.01, ["1", "1 1/2", "2"]),
    ("INS", "Instansi Pemerintah", 0.02, ["3/4", "1"]),
]

FIRST_ACCOUNT_NUMBER = 1_001_000_001
BATCH = 5_000


def seed(*, connections: int, rng: random.Random, progress: bool = False) -> dict[str, int]:
    """Create areas, customer classes, `connections` customers with one connection each, and the demo users."""
    faker = Faker("id_ID")
    faker.seed_instance(rng.randrange(2**32))
    with transaction.atomic():
        kelurahan = _areas()
        classes = _classes()
    created = 0
    bar = tqdm(total=connections, desc="connections", unit="conn", disable=not progress)
    with _search_indexes_built_after():
        for batch in _batches(connections):
            with transaction.atomic():
                _create_batch(batch, kelurahan, classes, faker, rng)
            created += len(batch)
            bar.update(len(batch))
    bar.close()
    _demo_users()
    return {"areas": Area.objects.count(), "connections": created}


@contextmanager
def _search_indexes_built_after():
    """On Postgres, drop the search's GIN indexes (names, addresses, phones) for the load and build them after.

    Keeping a GIN index current row by row is what makes a bulk load of names slow; one build at the end reads
    the table once and is several times faster. The indexes come back even when the load fails. Inside an outer
    transaction (tests) nothing is dropped: Postgres cannot build an index while deferred checks are pending.
    """
    if db.vendor != "postgresql" or db.in_atomic_block:
        yield
        return
    indexes = [
        (model, index)
        for model in (Customer, ServiceConnection)
        for index in model._meta.indexes
        if isinstance(index, GinIndex)
    ]
    with db.schema_editor() as editor:
        for model, index in indexes:
            editor.remove_index(model, index)
    try:
        yield
    finally:
        with db.schema_editor() as editor:
            # More sort memory for these builds only (the default 64 MB makes a 1M-row GIN build spill to disk).
            editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for model, index in indexes:
                editor.add_index(model, index)


def _batches(total: int) -> Iterator[range]:
    start = ServiceConnection.objects.count()
    for offset in range(start, start + total, BATCH):
        yield range(offset, min(offset + BATCH, start + total))


def _areas() -> list[Area]:
    kelurahan = []
    for d_index, (district, villages) in enumerate(DISTRICTS.items(), start=1):
        parent, _ = Area.objects.get_or_create(
            code=f"KEC{d_index:02d}", defaults={"name": district, "level": Area.Level.KECAMATAN}
        )
        for v_index, village in enumerate(villages, start=1):
            area, _ = Area.objects.get_or_create(
                code=f"KEL{d_index:02d}{v_index:02d}",
                defaults={"name": village, "level": Area.Level.KELURAHAN, "parent": parent},
            )
            kelurahan.append(area)
    return kelurahan


def _classes() -> list[tuple[CustomerClass, float, list[str]]]:
    result = []
    for code, name, share, sizes in CLASSES:
        customer_class, _ = CustomerClass.objects.get_or_create(code=code, defaults={"name": name})
        result.append((customer_class, share, sizes))
    return result


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(["811", "812", "813", "821", "822", "852", "853", "857", "877", "878", "896"])
    return f"+62{prefix}{rng.randrange(10**7, 10**8)}"


def _create_batch(batch: range, kelurahan: list[Area], classes, faker: Faker, rng: random.Random) -> None:
    weights = [share for _, share, _ in classes]
    customers, rows = [], []
    for index in batch:
        customer_class, _, sizes = rng.choices(classes, weights)[0]
        area = rng.choice(kelurahan)
        address = faker.street_address()
        name = faker.company() if customer_class.code in ("NIA", "IND") and rng.random() < 0.6 else faker.name()
        customers.append(
            Customer(
                name=name,
                phone=_mobile(rng) if rng.random() < 0.85 else "",
                email=f"pelanggan{index + 1}@contoh.test" if rng.random() < 0.3 else "",
                address=address,
            )
        )
        rows.append(
            ServiceConnection(
                account_number=str(FIRST_ACCOUNT_NUMBER + index),
                customer_class=customer_class,
                area=area,
                address=address,
                meter_number=f"M{18 + index % 8:02d}-{index + 1:07d}",
                meter_size=rng.choice(sizes),
                status=rng.choices(ServiceConnection.Status.values, [0.95, 0.04, 0.01])[0],
                connected_on=date(2008, 1, 1) + timedelta(days=rng.randrange(6000)),
            )
        )
    Customer.objects.bulk_create(customers)
    for customer, connection in zip(customers, rows, strict=True):
        connection.customer = customer
    ServiceConnection.objects.bulk_create(rows)


def _demo_users() -> None:
    """The logins printed in the README; the demo customer holds two active connections (home and shop)."""
    customer_user = _user(DEMO_CUSTOMER_EMAIL, "Budi Santoso", phone="+6281234567890")
    if not customer_user.connection_links.exists():
        home, shop = ServiceConnection.objects.filter(status=ServiceConnection.Status.ACTIVE).order_by("pk")[:2]
        Customer.objects.filter(pk__in=[home.customer_id, shop.customer_id]).update(
            name="Budi Santoso", phone="+6281234567890", email=DEMO_CUSTOMER_EMAIL
        )
        ConnectionLink.objects.bulk_create(
            [ConnectionLink(user=customer_user, connection=home), ConnectionLink(user=customer_user, connection=shop)]
        )
    for email, (name, role) in DEMO_STAFF.items():
        staff = _user(email, name, is_staff=True)
        staff.groups.add(Group.objects.get(name=role))


def _user(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **extra)
    return user
