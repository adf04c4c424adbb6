"""Views of the notifications app: the list, opening one, marking as read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from notifications.models import Notification
from notifications.selectors import notification_list_for_user, notification_target_url, unread_count_for_user
from notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 50


@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user's notifications, unread first in count, newest first in order."""
    page = Paginator(notification_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": page.object_list, "unread_count": unread_count_for_user(user=request.user)},
    )


@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to the object it is about."""
    notification = get_object_or_404(Notification.objects.select_related("request", "user"), pk=pk, user=request.user)
    notification_mark_read(notification=notification, user=request.user)
    return redirect(notification_target_url(notification))


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(notification=notification, user=request.user)
    messages.success(request, _("Notisen är markerad som läst."))
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notiser markerade som lästa.") % {"count": count})
    return redirect("notifications:list")
