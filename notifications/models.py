"""In-app notifications and the claim rows of reminders.

A notification's text is chosen by its kind only: it never carries free text of a case. A reminder is
claimed by inserting its ``Reminder`` row under a unique key (kind, object, due date), so that however
many scans run, each reminder is recorded once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells; the label is the neutral sentence shown in the app."""

    # State changes that concern the other municipality.
    REQUEST_RECEIVED = "request_received", _("Din kommun har fått en ny förfrågan.")
    REQUEST_WITHDRAWN = "request_withdrawn", _("En förfrågan till din kommun har återkallats.")
    REQUEST_SUPERSEDED = (
        "request_superseded",
        _("En förfrågan till din kommun har avslutats: en överenskommelse har nåtts med en annan kommun."),
    )
    REQUEST_ACCEPTED = "request_accepted", _("En förfrågan i ett ärende du arbetar med har accepterats.")
    REQUEST_DECLINED = "request_declined", _("En förfrågan i ett ärende du arbetar med har nekats.")
    CONSENT_REQUESTED = "consent_requested", _("Din enhet behöver ta ställning till samtycke för en förfrågan.")
    MOVE_CONFIRMED = "move_confirmed", _("Flytten i ett ärende har bekräftats.")
    REVEALED = (
        "revealed",
        _("I ett ärende har den nya bostadsorten röjts eller den enskilde kan inte bo kvar. En ny omgång inleds."),
    )
    CASE_CLOSED = "case_closed", _("Ett ärende har avslutats.")
    # Reminders of the plan's deadlines.
    REPLY_7_DAYS = "reply_7_days", _("Sju dagar återstår till sista svarsdag för en förfrågan.")
    REPLY_1_DAY = "reply_1_day", _("En dag återstår till sista svarsdag för en förfrågan.")
    REPLY_OVERDUE = "reply_overdue", _("Sista svarsdag för en förfrågan har passerat utan svar.")
    PROTECTED_DATA_MISSING = (
        "protected_data_missing",
        _("Flytten är planerad inom sju dagar, men Skatteverkets beslut om skyddade personuppgifter saknas."),
    )
    FOLLOW_UP_DUE = "follow_up_due", _("Det gemensamma uppföljningsmötet ska hållas senast en månad efter flytten.")
    FOLLOW_UP_OVERDUE = (
        "follow_up_overdue",
        _("Inget gemensamt uppföljningsmöte har registrerats inom en månad efter flytten."),
    )
    ECONOMIC_7_DAYS = "economic_7_days", _("Om sju dagar övergår det ekonomiska ansvaret till mottagande kommun.")
    ECONOMIC_TODAY = "economic_today", _("I dag övergår det ekonomiska ansvaret till mottagande kommun.")
    TWO_MONTH_END = "two_month_end", _("I dag slutar tvåmånadersperioden efter flytten.")
    LUSAM_REPORT = (
        "lusam_report",
        _("Ett avslutat ärende har ännu inte redovisats i LUSAM, och nästa möte närmar sig."),
    )


REMINDER_KINDS = (
    NotificationKind.REPLY_7_DAYS,
    NotificationKind.REPLY_1_DAY,
    NotificationKind.REPLY_OVERDUE,
    NotificationKind.PROTECTED_DATA_MISSING,
    NotificationKind.FOLLOW_UP_DUE,
    NotificationKind.FOLLOW_UP_OVERDUE,
    NotificationKind.ECONOMIC_7_DAYS,
    NotificationKind.ECONOMIC_TODAY,
    NotificationKind.TWO_MONTH_END,
    NotificationKind.LUSAM_REPORT,
)


class Reminder(models.Model):
    """The claim of one reminder: inserted once under (kind, object, due date), then sent.

    The object is the request for reminders about a request, else the case. ``sent_at`` is set when the
    in-app notifications exist and every e-mail went out; until then each scan tries again.
    """

    kind = models.CharField(_("typ"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey("cases.Request", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("gäller från"))
    claimed_at = models.DateTimeField(_("tagen"), default=timezone.now)
    notified_at = models.DateTimeField(_("notiser skapade"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    # The class name of the last sending error only: an error message can quote an address.
    last_error = models.CharField(_("senaste fel"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            # Two partial constraints rather than one with a nullable column: NULLs are distinct in a
            # plain unique index, and both PostgreSQL and SQLite support partial ones.
            models.UniqueConstraint(
                fields=["kind", "case", "due_on"],
                condition=Q(request__isnull=True),
                name="reminder_once_per_case",
            ),
            models.UniqueConstraint(
                fields=["kind", "request", "due_on"],
                condition=Q(request__isnull=False),
                name="reminder_once_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["claimed_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%Y-%m-%d}"


class Notification(models.Model):
    """One message in one user's list. Created once per (event, user) or (reminder, user)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("typ"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    request = models.ForeignKey("cases.Request", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("försök att skicka e-post"), default=0)

    class Meta:
        verbose_name = _("notis")
        verbose_name_plural = _("notiser")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="notification_once_per_event_user"),
            models.UniqueConstraint(fields=["reminder", "user"], name="notification_once_per_reminder_user"),
            models.CheckConstraint(
                condition=Q(event__isnull=True) | Q(reminder__isnull=True),
                name="notification_event_or_reminder",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unemailed"),
        ]

    def __str__(self) -> str:
        return self.kind

    @property
    def text(self) -> str:
        """Return the neutral sentence of this notification's kind."""
        return str(NotificationKind(self.kind).label)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EventDelivery(models.Model):
    """Marks a timeline event whose notifications exist: the scan catches up on events without one.

    The event task is queued after commit; if the broker was down at that moment, the next scan notifies.
    """

    event = models.OneToOneField("cases.CaseEvent", on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(_("notiser skapade"), default=timezone.now)

    class Meta:
        verbose_name = _("notifierad händelse")
        verbose_name_plural = _("notifierade händelser")
