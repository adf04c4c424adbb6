"""Administration of people: roles, organisations, two-factor reset and the contact-person hand-over."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, Role, User
from accounts.sessions import user_sessions_end
from audit.models import AuditAction
from audit.services import audit_record
from municipalities.services import HandoverError, contact_person_handover

# The middleware already sends a password-only session to the second step; the admin checks it again
# itself (django-otp's documented way to make the default site require a verified session).
admin.site.__class__ = OTPAdminSite

# Nobody, administrators included, reads another person's authenticator secret: a lost device is reset.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

ORGANISATION_FIELDS = ("role", "municipality", "network", "unit", "is_contact_person", "phone")


class HandoverForm(forms.Form):
    new = forms.ModelChoiceField(label=gettext_lazy("Ny kontaktperson"), queryset=User.objects.none())

    def __init__(self, *args, old: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new"].queryset = (
            User.objects.filter(municipality_id=old.municipality_id, role=Role.OFFICER, is_active=True)
            .exclude(pk=old.pk)
            .order_by("last_name", "first_name", "username")
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "municipality",
        "network",
        "unit",
        "is_contact_person",
        "has_second_factor",
        "is_active",
    ]
    list_filter = ["role", "municipality", "network", "unit", "is_contact_person", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "municipality__name"]
    list_select_related = ["municipality", "network"]
    ordering = ["municipality__name", "last_name", "first_name", "username"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (gettext_lazy("Organisation och roll"), {"fields": ORGANISATION_FIELDS}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            gettext_lazy("Organisation och roll"),
            {"classes": ["wide"], "fields": ("first_name", "last_name", "email", *ORGANISATION_FIELDS)},
        ),
    )
    actions = ["reset_two_factor", "hand_over_contact_person"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_totp=Exists(confirmed))

    @admin.display(description=gettext_lazy("tvåstegsverifiering"), boolean=True, ordering="has_totp")
    def has_second_factor(self, obj: User) -> bool:
        return obj.has_totp

    @admin.action(description=gettext_lazy("Återställ tvåstegsverifiering"), permissions=["change"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Delete the users' authenticator and backup-code devices; they enrol again at the next sign-in.

        Their sessions end too: a session verified with the lost device (perhaps by whoever has it now) must not
        go on to enrol a new one without the password.
        """
        count = 0
        with transaction.atomic():
            for user in queryset:
                TOTPDevice.objects.filter(user=user).delete()
                BackupCodeDevice.objects.filter(user=user).delete()
                user_sessions_end(user=user, keep=request.session.session_key)
                audit_record(action=AuditAction.CHANGE, request=request, obj=user)
                count += 1
        self.message_user(
            request,
            ngettext(
                "Tvåstegsverifieringen återställdes för %(count)d användare. Vid nästa inloggning aktiveras en ny app.",
                "Tvåstegsverifieringen återställdes för %(count)d användare. Vid nästa inloggning aktiveras en ny app.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Byt kontaktperson (överlämning)"), permissions=["change"])
    def hand_over_contact_person(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Ask for the new contact person of the one selected contact person, then hand over."""
        if queryset.count() != 1:
            self.message_user(request, _("Välj exakt en kontaktperson att ersätta."), messages.ERROR)
            return None
        old = queryset.select_related("municipality").get()
        form = HandoverForm(request.POST if "apply" in request.POST else None, old=old)
        if form.is_valid():
            try:
                granted = contact_person_handover(old=old, new=form.cleaned_data["new"], actor=request.user)
            except HandoverError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                _("%(new)s är nu kontaktperson för %(municipality)s med tillgång till %(count)d öppna ärenden.")
                % {"new": form.cleaned_data["new"], "municipality": old.municipality, "count": len(granted)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Byt kontaktperson"),
            "opts": self.model._meta,
            "old": old,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/handover.html", context)
