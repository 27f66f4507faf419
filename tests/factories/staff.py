import factory

from accounts.models import AuditEntry, Notification, StaffNote
from tests.factories.accounts import ServiceConnectionFactory, StaffFactory


class StaffNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffNote

    connection = factory.SubFactory(ServiceConnectionFactory)
    author = factory.SubFactory(StaffFactory, role="counter")
    text = factory.Faker("sentence", locale="id_ID")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    to_address = factory.Faker("email")
    channel = Notification.Channel.EMAIL
    template = "accounts/password_reset"
    dedupe_key = factory.Sequence(lambda n: f"test-{n}")
    status = Notification.Status.SENT


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    action = "customer.update_contact"
    summary = factory.Faker("sentence", locale="id_ID")
