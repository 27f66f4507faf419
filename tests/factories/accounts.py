import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Area, ConnectionLink, Customer, CustomerClass, ServiceConnection, User

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="id_ID")

    @classmethod
    def _create(cls, model_class, *args, password: str = DEFAULT_PASSWORD, **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)


class StaffFactory(UserFactory):
    """A member of staff in one role group: StaffFactory(role="counter").

    They have set up an authenticator app (a confirmed TOTP device) and, like someone who has just typed its
    code, carry it as `otp_device`: django-otp then marks the session verified on `client.force_login(staff)`.
    `StaffFactory(authenticator=False)` is a member of staff who has not set one up yet; a user read back from
    the database carries no `otp_device`, so force_login gives them an unverified session.
    """

    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.otp_device = TOTPDevice.objects.create(user=self, name="authenticator", confirmed=True)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Kelurahan {n}")
    level = Area.Level.KELURAHAN
    code = factory.Sequence(lambda n: f"K{n:04d}")
    parent = None


class CustomerClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerClass
        django_get_or_create = ["code"]

    code = "R2"
    name = "Rumah Tangga 2"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    address = factory.Faker("street_address", locale="id_ID")


class ServiceConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceConnection

    account_number = factory.Sequence(lambda n: f"{1000000000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    customer_class = factory.SubFactory(CustomerClassFactory)
    area = factory.SubFactory(AreaFactory)
    address = factory.Faker("street_address", locale="id_ID")
    meter_number = factory.Sequence(lambda n: f"MTR-{n:07d}")


class ConnectionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConnectionLink

    user = factory.SubFactory(UserFactory)
    connection = factory.SubFactory(ServiceConnectionFactory)
