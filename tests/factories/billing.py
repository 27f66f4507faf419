import datetime

import factory

from billing.models import Bill, BillLine, LateFeeRule, MeterReading, Tariff, TariffBlock, TariffFixedCharge
from tests.factories.accounts import CustomerClassFactory, ServiceConnectionFactory


class TariffFactory(factory.django.DjangoModelFactory):
    """R2 from 2020: 0–10 m³ Rp 2.000, 10–20 m³ Rp 3.000, above Rp 5.000; beban 1/2" Rp 10.000; admin Rp 5.000;
    minimum 10 m³ — the tariff the worked examples in the tests use."""

    class Meta:
        model = Tariff
        skip_postgeneration_save = True
        django_get_or_create = ["customer_class", "effective_from"]

    customer_class = factory.SubFactory(CustomerClassFactory)
    effective_from = datetime.date(2020, 1, 1)
    admin_fee = 5000
    minimum_usage = 10

    @factory.post_generation
    def blocks(self, create, extracted, **kwargs):
        if not create or self.blocks.exists():
            return
        default = ((0, 10, 2000), (10, 20, 3000), (20, None, 5000))
        for lower, upper, price in extracted if extracted is not None else default:
            TariffBlock.objects.create(tariff=self, from_m3=lower, to_m3=upper, price_per_m3=price)

    @factory.post_generation
    def fixed_charges(self, create, extracted, **kwargs):
        if not create or self.fixed_charges.exists():
            return
        for size, amount in (extracted if extracted is not None else {"1/2": 10000, "3/4": 15000}).items():
            TariffFixedCharge.objects.create(tariff=self, meter_size=size, amount=amount)


class MeterReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeterReading

    connection = factory.SubFactory(ServiceConnectionFactory)
    period = datetime.date(2026, 1, 1)
    reading = 100
    previous_reading = 85
    usage = factory.LazyAttribute(lambda o: None if o.previous_reading is None else o.reading - o.previous_reading)
    read_on = factory.LazyAttribute(lambda o: o.period.replace(day=3))


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    connection = factory.SubFactory(ServiceConnectionFactory)
    period = datetime.date(2026, 1, 1)
    tariff = factory.SubFactory(TariffFactory, customer_class=factory.SelfAttribute("..connection.customer_class"))
    previous_reading = 85
    current_reading = 100
    usage = 15
    total = 50000
    due_date = factory.LazyAttribute(lambda o: o.period.replace(day=20))


class BillLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillLine

    bill = factory.SubFactory(BillFactory)
    kind = BillLine.Kind.USAGE
    description = "0–10 m³"
    quantity = 10
    unit_price = 2000
    amount = factory.LazyAttribute(lambda o: o.quantity * o.unit_price)


class LateFeeRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LateFeeRule
        django_get_or_create = ["code"]

    code = "late-1"
    name = "Denda keterlambatan"
    days_overdue = 0
    amount = 10000
