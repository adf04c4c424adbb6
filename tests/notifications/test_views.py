"""The notification list, the header badge, opening and marking as read."""

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationKind
from tests.conftest import verified_client


def notify(user, case=None, request=None, kind=NotificationKind.REQUEST_ACCEPTED, read=False):
    from django.utils import timezone

    return Notification.objects.create(
        user=user, kind=kind, case=case, request=request, read_at=timezone.now() if read else None
    )


@pytest.mark.django_db
def test_list_shows_own_notifications_and_the_unread_count(
    officer_koping, contact_sala, case_koping, django_assert_max_num_queries
):
    for _ in range(3):
        notify(officer_koping, case=case_koping)
    notify(officer_koping, case=case_koping, read=True)
    notify(contact_sala, kind=NotificationKind.REQUEST_RECEIVED)
    client = verified_client(officer_koping)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du har 3 olästa notiser." in page
    assert page.count("En förfrågan i ett ärende du arbetar med har accepterats.</a>") == 4
    # Each "mark as read" button names its notification for screen readers.
    assert page.count(": En förfrågan i ett ärende du arbetar med har accepterats.</span>") == 3
    assert "Din kommun har fått en ny förfrågan." not in page
    assert case_koping.reference in page
    assert "3 olästa" in page  # the header badge


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_number_of_notifications(
    officer_koping, case_koping, django_assert_max_num_queries
):
    for _ in range(30):
        notify(officer_koping, case=case_koping)
    client = verified_client(officer_koping)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


@pytest.mark.django_db
def test_header_badge_on_other_pages(officer_koping):
    notify(officer_koping)
    response = verified_client(officer_koping).get(reverse("home"))
    page = response.content.decode()
    assert reverse("notifications:list") in page
    assert "1 oläst" in page


@pytest.mark.django_db
def test_open_marks_read_and_falls_back_to_the_list_while_case_pages_are_missing(officer_koping, case_koping):
    notification = notify(officer_koping, case=case_koping)
    response = verified_client(officer_koping).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] in (reverse("notifications:list"), f"/arenden/{case_koping.pk}/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_mark_one_read(officer_koping):
    notification = notify(officer_koping)
    client = verified_client(officer_koping)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_mark_all_read(officer_koping, contact_sala):
    for _ in range(2):
        notify(officer_koping)
    other = notify(contact_sala)
    response = verified_client(officer_koping).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=officer_koping, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_another_users_notification_is_not_found(officer_koping, contact_sala):
    notification = notify(contact_sala)
    client = verified_client(officer_koping)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_list_needs_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_links_lead_each_side_to_its_own_page_of_the_object(
    settings, request_to_sala, officer_koping, contact_sala, supervisor_sala_adult
):
    from notifications.selectors import notification_target_url

    settings.ROOT_URLCONF = "tests.notifications.urls_with_case_pages"
    case = request_to_sala.case
    sending = notify(officer_koping, case=case, request=request_to_sala, kind=NotificationKind.REPLY_OVERDUE)
    receiving = notify(contact_sala, case=case, request=request_to_sala, kind=NotificationKind.REPLY_OVERDUE)
    consent = notify(supervisor_sala_adult, case=case, request=request_to_sala, kind=NotificationKind.CONSENT_REQUESTED)
    assert notification_target_url(sending) == f"/test-arenden/{case.pk}/"
    assert notification_target_url(receiving) == f"/test-arenden/forfragan/{request_to_sala.pk}/"
    assert notification_target_url(consent) == "/test-arenden/samtycken/"
