"""The standard categories every utility starts with (a data migration creates them; this restores them
after a database flush, for the demo and the tests). Service levels are then edited in the admin."""

from complaints.models import Category

# The category of questions about a bill: a questioned bill's ticket (portal/bill_disputes.py), answered by billing.
BILLING = "billing"

# code, Indonesian name, English name, respond h, resolve h, working hours only, outage related
STANDARD = [
    ("burst_pipe", "Pipa bocor atau pecah", "Burst or leaking pipe", 2, 24, False, False),
    ("meter_leak", "Bocor di meter", "Leak at the meter", 4, 48, False, False),
    ("no_water", "Air tidak mengalir", "No water", 2, 24, False, True),
    ("low_pressure", "Air kecil / tekanan rendah", "Low pressure", 4, 72, False, True),
    ("dirty_water", "Air keruh atau berbau", "Dirty or smelly water", 4, 48, False, False),
    ("meter_broken", "Meter rusak", "Meter broken", 8, 24, True, False),
    (BILLING, "Pertanyaan rekening", "Billing question", 8, 24, True, False),
    ("illegal_connection", "Sambungan ilegal", "Illegal connection", 16, 40, True, False),
    ("other", "Lainnya", "Other", 8, 40, True, False),
]


def ensure_standard_categories() -> None:
    """Create any missing standard category; existing ones (perhaps edited in the admin) are left alone."""
    existing = set(Category.objects.values_list("code", flat=True))
    Category.objects.bulk_create(
        Category(
            code=code,
            name=name,
            name_en=name_en,
            respond_hours=respond,
            resolve_hours=resolve,
            working_hours_only=working,
            outage_related=outage,
            sort_order=order * 10,
        )
        for order, (code, name, name_en, respond, resolve, working, outage) in enumerate(STANDARD, start=1)
        if code not in existing
    )
