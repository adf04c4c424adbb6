"""A second county's network is data: added in the admin, with its own municipalities, staff and quotas."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import workflow
from municipalities.models import Municipality, Network
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality, verified_client
from tests.factories import TOTPDeviceFactory, UserFactory

NO_INLINES = {"{}-TOTAL_FORMS": "0", "{}-INITIAL_FORMS": "0", "{}-MIN_NUM_FORMS": "0", "{}-MAX_NUM_FORMS": "1000"}


def _inline(prefix: str) -> dict[str, str]:
    return {key.format(prefix): value for key, value in NO_INLINES.items()}


def test_a_second_network_is_added_in_the_admin_and_kept_apart(administrator, officer_koping, vastmanland):
    admin = verified_client(administrator)
    response = admin.post(
        reverse("admin:municipalities_network_add"),
        {
            "slug": "uppsala",
            "name": "Samverkan Uppsala län",
            "county_board": "Länsstyrelsen i Uppsala län",
            "county_board_email": "",
            **_inline("meetings"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    uppsala = Network.objects.get(slug="uppsala")
    members = (("Enköping", "0381", 46_000), ("Östhammar", "0382", 22_000), ("Tierp", "0360", 9_000))
    for name, code, population in members:
        response = admin.post(
            reverse("admin:municipalities_municipality_add"),
            {
                "network": uppsala.pk,
                "name": name,
                "scb_code": code,
                "population": population,
                "population_counted_on": "2024-12-31",
                "participates": "on",
                **_inline("population_counts"),
                **_inline("quota_overrides"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    enkoping = Municipality.objects.get(name="Enköping")
    assert enkoping.network == uppsala
    # The figures typed in start the municipality's population history.
    assert list(enkoping.population_counts.values_list("counted_on", "population")) == [
        (datetime.date(2024, 12, 31), 46_000)
    ]
    assert [m.quota_for(2025) for m in uppsala.municipalities.order_by("name")] == [3, 1, 3]
    assert vastmanland.municipalities.count() == 10

    officer_enkoping = UserFactory(role=Role.OFFICER, municipality=enkoping, is_contact_person=True)
    TOTPDeviceFactory(user=officer_enkoping)
    county_uppsala = UserFactory(role=Role.COUNTY, network=uppsala)
    TOTPDeviceFactory(user=county_uppsala)

    # Each network's members see their own directory only.
    for user, network in ((officer_enkoping, uppsala), (county_uppsala, uppsala), (officer_koping, vastmanland)):
        directories = verified_client(user).get(reverse("municipalities:directory")).context["directories"]
        assert [directory.network for directory in directories] == [network]

    # A case of Köping cannot ask a municipality of another network.
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    body = verified_client(officer_koping).get(reverse("cases:send", args=[case.pk])).content.decode()
    assert "Sala" in body and "Enköping" not in body
    with pytest.raises(workflow.WorkflowError):
        workflow.requests_send(case=case, actor=officer_koping, recipients=[enkoping])
    assert not case.requests.exists()
    assert municipality("Sala").network == vastmanland
