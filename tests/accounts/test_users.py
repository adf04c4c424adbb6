"""Users: createsuperuser works with the role constraints; the client address behind a proxy."""

from django.core.management import call_command
from django.test import RequestFactory, override_settings

from accounts.client_ip import client_ip_address
from accounts.models import Role, User


def test_createsuperuser_makes_an_administrator(db):
    call_command("createsuperuser", username="root", email="root@example.org", interactive=False, verbosity=0)
    user = User.objects.get(username="root")
    assert (user.role, user.is_superuser, user.municipality) == (Role.ADMIN, True, None)


def test_client_address_without_a_proxy_ignores_forwarded_headers():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip_address(request) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_address_behind_one_proxy_is_the_hop_it_appended():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip_address(request) == "203.0.113.9"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert client_ip_address(request) == "10.0.0.2"
