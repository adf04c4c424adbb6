"""factory_boy factories shared by the test suite."""

import datetime

import factory
from django.utils import timezone
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


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in preparation. Use the workflow functions to move it on in workflow tests."""

    class Meta:
        model = "cases.Case"

    sending_municipality = factory.SubFactory(MunicipalityFactory)
    created_by = factory.SubFactory(
        UserFactory, municipality=factory.SelfAttribute("..sending_municipality"), role=Role.OFFICER
    )
    gender = "woman"
    adult_confirmed = True
    outpatient_manageable = True


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Child"

    case = factory.SubFactory(CaseFactory)
    age = 7
    informed = True
    heard = True


class RequestFactory(factory.django.DjangoModelFactory):
    """A request as if sent: for tests of reminders, reports and documents that need data, not a journey."""

    class Meta:
        model = "cases.Request"

    case = factory.SubFactory(CaseFactory, status="requesting")
    round = factory.SelfAttribute("case.round")
    sender = factory.SelfAttribute("case.sending_municipality")
    recipient = factory.SubFactory(MunicipalityFactory)
    status = "sent"
    sent_at = factory.LazyFunction(timezone.now)
    sent_by = factory.SelfAttribute("case.created_by")
    reply_by = factory.LazyAttribute(lambda r: timezone.localdate(r.sent_at) + datetime.timedelta(days=21))
    form = factory.LazyFunction(lambda: {"applicant": "Kvinna 34 år, bor i dag på skyddat boende."})


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Decision"

    request = factory.SubFactory(RequestFactory)
    outcome = "accept"
    decided_by = factory.SubFactory(UserFactory, municipality=factory.SelfAttribute("..request.recipient"))
    decided_at = factory.LazyAttribute(lambda d: d.request.sent_at)


class MovePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.MovePlan"

    case = factory.SubFactory(CaseFactory, status="agreed")
    round = factory.SelfAttribute("case.round")
