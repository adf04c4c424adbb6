"""The administration: second factor required, no case content, two-factor reset."""

from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, User
from audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, password_only_client, verified_client


def test_admin_needs_the_second_factor(administrator):
    response = password_only_client(administrator).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert verified_client(administrator).get(reverse("admin:index")).status_code == 200


def test_admin_login_page_is_the_two_step_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_case_workers_do_not_reach_the_admin(officer_koping):
    response = verified_client(officer_koping).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_shows_no_case_content_and_no_authenticator_secrets(administrator):
    labels = {model._meta.label for model in admin.site._registry}
    assert not {label for label in labels if label.startswith("cases.")}
    assert TOTPDevice not in admin.site._registry
    assert {"accounts.User", "municipalities.Municipality", "municipalities.Network"} <= labels
    assert verified_client(administrator).get("/admin/cases/").status_code == 404


def test_admin_pages_render(administrator, contact_sala, vastmanland):
    client = verified_client(administrator)
    sala = vastmanland.municipalities.get(name="Sala")
    for url in [
        reverse("admin:accounts_user_changelist") + "?q=sala&role__exact=officer",
        reverse("admin:accounts_user_change", args=[contact_sala.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:municipalities_municipality_changelist") + "?q=1981",
        reverse("admin:municipalities_municipality_change", args=[sala.pk]),
        reverse("admin:municipalities_network_change", args=[vastmanland.pk]),
        reverse("admin:municipalities_quotaoverride_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_municipality_list_shows_this_years_quota(administrator, vastmanland):
    response = verified_client(administrator).get(reverse("admin:municipalities_municipality_changelist"))
    content = response.content.decode()
    assert "Köping" in content
    assert "column-quota_this_year" in content


def test_reset_action_removes_the_devices(administrator, contact_sala, contact_arboga):
    BackupCodeDevice.objects.create(user=contact_sala, name="backup", confirmed=True).generate_codes()
    response = verified_client(administrator).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [contact_sala.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=contact_sala).exists()
    assert not BackupCodeDevice.objects.filter(user=contact_sala).exists()
    assert TOTPDevice.objects.filter(user=contact_arboga).exists()
    assert AuditEvent.objects.filter(
        user=administrator, action=AuditAction.CHANGE, object_type="accounts.User", object_id=str(contact_sala.pk)
    ).exists()


def test_after_a_reset_the_user_enrols_again(administrator, contact_sala):
    signed_in = verified_client(contact_sala)
    verified_client(administrator).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [contact_sala.pk]},
    )
    # The session that used the removed device is ended: enrolling a new device needs the password again.
    assert signed_in.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    assert signed_in.get(reverse("accounts:enrol"))["Location"].startswith(reverse("accounts:login"))
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": contact_sala.username, "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:enrol")


def test_an_administrator_resetting_their_own_device_keeps_the_session_to_enrol(administrator):
    client = verified_client(administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [administrator.pk]},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:enrol")


def test_adding_a_user_that_breaks_a_role_rule_shows_an_error(administrator, vastmanland):
    client = verified_client(administrator)
    sala = vastmanland.municipalities.get(name="Sala")
    data = {
        "username": "new_supervisor",
        "password1": "korrekt-hast-batteri-2",
        "password2": "korrekt-hast-batteri-2",
        "usable_password": "true",
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "supervisor",
        "municipality": sala.pk,
        "unit": "",
        "phone": "",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "En arbetsledare måste ha en enhet." in response.content.decode()
    assert not User.objects.filter(username="new_supervisor").exists()
    response = client.post(reverse("admin:accounts_user_add"), data | {"unit": "adult"})
    assert response.status_code == 302
    assert User.objects.get(username="new_supervisor").unit == "adult"


def test_the_admin_itself_refuses_an_unverified_session(administrator, rf):
    request = rf.get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False  # what django_otp.middleware.OTPMiddleware sets
    assert not admin.site.has_permission(request)
    administrator.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_admin_search_and_filters_find_people_and_municipalities(
    administrator, contact_sala, officer_koping, supervisor_sala_adult, vastmanland
):
    client = verified_client(administrator)
    users = client.get(reverse("admin:accounts_user_changelist") + "?q=sala&role__exact=officer")
    assert list(users.context["cl"].result_list) == [contact_sala]
    supervisors = client.get(reverse("admin:accounts_user_changelist") + "?role__exact=supervisor")
    assert list(supervisors.context["cl"].result_list) == [supervisor_sala_adult]
    found = client.get(reverse("admin:municipalities_municipality_changelist") + "?q=1981")
    assert [m.name for m in found.context["cl"].result_list] == ["Sala"]
    members = client.get(reverse("admin:municipalities_municipality_changelist") + "?national_network__exact=1")
    assert sorted(m.name for m in members.context["cl"].result_list) == ["Köping", "Västerås"]
