"""The audit log: who read or changed what, when and from where. Append-only; no free text."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Läsning")
    CHANGE = "change", _("Ändring")
    DOWNLOAD = "download", _("Nedladdning")
    EXPORT = "export", _("Export")
    SIGN_IN = "sign_in", _("Inloggning")
    SIGN_IN_FAILED = "sign_in_failed", _("Misslyckad inloggning")
    SECOND_FACTOR = "second_factor", _("Tvåstegsverifiering")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Misslyckad tvåstegsverifiering")
    SIGN_OUT = "sign_out", _("Utloggning")
    DENIED = "denied", _("Nekad åtkomst")
    GRANT = "grant", _("Behörighet given")
    REVOKE = "revoke", _("Behörighet återkallad")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tid (UTC)"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name tried at a failed sign-in is kept only as the matching user; never the typed text.
    role = models.CharField(_("roll"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("åtgärd"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttyp"), max_length=50, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=50, blank=True)
    # The case the object belongs to, so that a case's log can be read in one query.
    case_id = models.BigIntegerField(_("ärende-id"), null=True, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("adress"), null=True, blank=True)
    path_name = models.CharField(_("sida"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
