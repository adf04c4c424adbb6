"""factory_boy factories shared by the test suite."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from municipalities.models import Municipality, Network


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Nätverk {n}")
    county_board = "Länsstyrelsen"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Kommun {n}")
    scb_code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    population = 15_000
    population_counted_on = factory.Faker("date_object")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.OFFICER
    password = factory.django.Password("korrekt-hast-batteri")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "app"
    confirmed = True
