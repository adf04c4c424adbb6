"""The sign-in steps: password, second factor (TOTP or backup code), enrolment and backup codes."""

import base64
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import EnrolForm, SignInForm, TokenForm
from accounts.models import BackupCodeDevice
from audit.models import AuditAction
from audit.services import audit_record


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        target = reverse("accounts:verify")
        next_url = self.get_redirect_url()
        return f"{target}?{urlencode({'next': next_url})}" if next_url else target


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("home")


def _with_next(request: HttpRequest, viewname: str) -> str:
    """Return the URL of ``viewname`` carrying a safe ``next`` of the current request along, if any."""
    target = reverse(viewname)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return f"{target}?{urlencode({'next': next_url})}"
    return target


def _confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor of a signed-in user: a TOTP code or a backup code."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    totp = _confirmed_totp(request.user)
    if totp is None:
        return redirect(_with_next(request, "accounts:enrol"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = _match(request.user, totp, token)
        if device is not None:
            otp_login(request, device)
            # A new session key once the second factor is done.
            request.session.cycle_key()
            audit_record(action=AuditAction.SECOND_FACTOR, request=request)
            return redirect(_safe_next(request))
        audit_record(action=AuditAction.SECOND_FACTOR_FAILED, request=request)
        form.add_error("token", _("Koden stämmer inte, har redan använts eller är för gammal. Försök igen."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


def _match(user, totp: TOTPDevice, token: str):
    """Return the device that accepts ``token``, or None.

    The device row is locked, so that one code submitted twice at once is accepted once
    (django-otp refuses a code whose time step was already used). django-otp itself
    refuses while the device is throttled and counts the failures.
    """
    if token.isdigit() and len(token) == 6:
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=totp.pk)
            return locked if locked.verify_token(token) else None
    backup = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    if backup is not None and backup.verify_token(token):
        return backup
    return None


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app by QR code, then show the backup codes once."""
    if _confirmed_totp(request.user) is not None:
        return redirect(_with_next(request, "accounts:verify"))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="app")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                backup, _created = BackupCodeDevice.objects.get_or_create(
                    user=request.user, defaults={"name": "backup", "confirmed": True}
                )
                codes = backup.generate_codes()
            otp_login(request, device)
            request.session.cycle_key()
            audit_record(action=AuditAction.SECOND_FACTOR, request=request)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("token", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen."))
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "secret": base64.b32encode(device.bin_key).decode("ascii"), "next": _safe_next(request)},
    )


@require_safe
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """Return the QR code of the user's unconfirmed device as SVG (served by the app: no inline data)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or _confirmed_totp(request.user) is not None:
        return HttpResponse(status=404)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Show how many backup codes are left; on POST make new ones and show them once."""
    backup, _created = BackupCodeDevice.objects.get_or_create(
        user=request.user, defaults={"name": "backup", "confirmed": True}
    )
    if request.method == "POST":
        codes = backup.generate_codes()
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("home")})
    return render(request, "accounts/backup_codes_status.html", {"remaining": backup.remaining})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Du är utloggad."))
    return redirect("accounts:login")
