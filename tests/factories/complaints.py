from datetime import timedelta

import factory
from django.utils import timezone

from complaints import sla
from complaints.categories import ensure_standard_categories
from complaints.models import Category, Complaint, Outage
from tests.factories.accounts import AreaFactory


def category(code: str = "burst_pipe") -> Category:
    """A standard category; a transactional test's flush removes what the data migration created."""
    ensure_standard_categories()
    return Category.objects.get(code=code)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A ticket as filed by an anonymous reporter; pass status=… for later states."""

    class Meta:
        model = Complaint

    ticket = factory.Sequence(lambda n: f"ADU-2026-{900000 + n:06d}")
    category = factory.LazyFunction(category)
    description = "Pipa pecah di depan rumah, air menyembur ke jalan."
    reporter_name = "Wayan Sudarma"
    reporter_phone = factory.Sequence(lambda n: f"+62813{n:08d}")
    reporter_email = factory.Sequence(lambda n: f"reporter{n}@example.test")
    address = "Jl. Pejanggik No. 12"
    area = factory.SubFactory(AreaFactory)
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        times = sla.due_times(kwargs["category"], kwargs["created_at"])
        for key, value in times.items():
            kwargs.setdefault(key, value)
        return super()._create(model_class, *args, **kwargs)


class OutageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outage
        skip_postgeneration_save = True

    kind = Outage.Kind.UNPLANNED
    title = "Perbaikan pipa transmisi"
    description = "Aliran air terhenti sementara."
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    expected_end_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=5))

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
