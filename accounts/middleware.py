"""Sign-in enforcement: one allow-list decides what a session without a second factor may reach."""

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

# Views reachable without a completed second factor.
ANONYMOUS_ALLOWED = {"accounts:login", "set_language"}
PASSWORD_ONLY_ALLOWED = ANONYMOUS_ALLOWED | {
    "accounts:verify",
    "accounts:enrol",
    "accounts:enrol_qr",
    "accounts:logout",
}
SESSION_STARTED_KEY = "lk_auth_started"


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class SecondFactorRequiredMiddleware:
    """Send anonymous users to sign-in and password-only users to the second step.

    Static files are served by WhiteNoise before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view_name = _view_name(request)
        user = request.user
        if not user.is_authenticated:
            if view_name in ANONYMOUS_ALLOWED:
                return self.get_response(request)
            return _redirect_with_next("accounts:login", request)
        if not user.is_verified():
            if view_name in PASSWORD_ONLY_ALLOWED:
                return self.get_response(request)
            return _redirect_with_next("accounts:verify", request)
        return self.get_response(request)


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    url = reverse(url_name)
    if request.method == "GET" and request.path_info != "/":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseRedirect(url)


class SessionLimitsMiddleware:
    """End a session 12 hours after sign-in, whatever the activity (the idle limit is the cookie age)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None or timezone.now() - datetime.fromisoformat(started) > settings.SESSION_ABSOLUTE_LIMIT:
                logout(request)
                return HttpResponseRedirect(reverse("accounts:login"))
        return self.get_response(request)


def mark_session_started(request: HttpRequest) -> None:
    """Record the sign-in time for the absolute session limit."""
    request.session[SESSION_STARTED_KEY] = timezone.now().isoformat()
