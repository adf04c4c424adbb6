"""Cases, requests, decisions, move plans and the timeline.

No model here stores a name, identity number, address or phone number of the person or
the children: a case is known by its random reference. Status fields are changed only by
``cases.workflow``; the constraints below back its invariants in the database.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from accounts.models import Unit

# Letters and digits that cannot be mistaken for each other when read aloud or faxed.
REFERENCE_ALPHABET = "ACDEFHJKLMNPQRTUVWXY3479"


def new_reference() -> str:
    """Return a random case reference such as ``K7QM-3XFD`` (not sequential, names no municipality)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")


class TargetGroup(models.TextChoices):
    """The four target groups the plan's LUSAM report uses."""

    WOMAN_WITHOUT_CHILDREN = "woman_no_children", _("Kvinna utan barn")
    WOMAN_WITH_CHILDREN = "woman_children", _("Kvinna med barn")
    MAN_WITHOUT_CHILDREN = "man_no_children", _("Man utan barn")
    MAN_WITH_CHILDREN = "man_children", _("Man med barn")


class CaseStatus(models.TextChoices):
    PREPARATION = "preparation", _("Förberedelse")
    REQUESTING = "requesting", _("Förfrågan skickad")
    AGREED = "agreed", _("Överenskommelse – planering")
    MOVED = "moved", _("Flyttat – uppföljning")
    CLOSED = "closed", _("Avslutat")


class Outcome(models.TextChoices):
    MOVED = "moved", _("Flytt genomförd")
    NOT_MOVED = "not_moved", _("Flytt ej genomförd")
    NATIONAL = "national", _("Hänvisat till det nationella nätverket")


class NotMovedReason(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Den enskilde återkallade sitt samtycke")
    RETURNED = "returned", _("Den enskilde återvände till våldsutövaren")
    CIRCUMSTANCES_CHANGED = "circumstances_changed", _("Omständigheterna ändrades")
    NO_MUNICIPALITY = "no_municipality", _("Ingen kommun kunde ta emot")
    OWN_SOLUTION = "own_solution", _("Den enskilde ordnade eget boende")
    OTHER = "other", _("Annat skäl")


class RiskMethod(models.TextChoices):
    FREDA = "freda", "FREDA"
    SARA = "sara", "SARA"
    PATRIARK = "patriark", "PATRIARK"
    OTHER = "other", _("Annan metod")


class PoliceAssessment(models.TextChoices):
    OBTAINED = "obtained", _("Polisens bedömning inhämtad")
    NOT_RELEVANT = "not_relevant", _("Inte aktuellt i ärendet")


class Case(models.Model):
    """One household's relocation, owned by the sending municipality."""

    reference = models.CharField(_("referens"), max_length=9, unique=True, default=new_reference, editable=False)
    sending_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="sent_cases",
        verbose_name=_("överlämnande kommun"),
    )
    receiving_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="received_cases",
        null=True,
        blank=True,
        verbose_name=_("mottagande kommun"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.PREPARATION, editable=False
    )
    # A new round of requests starts when the new home town was revealed within two months of the move.
    round = models.PositiveSmallIntegerField(_("omgång"), default=1, editable=False)

    # Target group (rule 1). Children are recorded as ages only, in Child.
    gender = models.CharField(_("den enskilde är"), max_length=10, choices=Gender.choices)
    adult_confirmed = models.BooleanField(_("den enskilde är över 18 år"), default=False)
    new_partner = models.BooleanField(_("ny partner ingår"), default=False)
    outpatient_manageable = models.BooleanField(_("stödbehoven kan tillgodoses inom öppenvården"), default=False)
    # Municipalities where the perpetrator or his network is: never to be asked.
    excluded_municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("kommuner som inte får tillfrågas"),
    )

    # Filled when the case is closed (rule 14).
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True, editable=False)
    not_moved_reason = models.CharField(
        _("skäl till att flytt inte genomfördes"),
        max_length=30,
        choices=NotMovedReason.choices,
        blank=True,
        editable=False,
    )
    closing_note = models.TextField(_("kommentar vid avslut"), blank=True)
    # Set when the retention job erased the free text of a closed case.
    erased_at = models.DateTimeField(_("fritext raderad"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-created_at"]
        permissions = [("work_on_case", _("Kan arbeta med ärendet"))]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(receiving_municipality__isnull=True) | ~Q(receiving_municipality=F("sending_municipality")),
                name="case_receiver_is_not_sender",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="case_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def children_count(self) -> int:
        return self.children.count()

    @property
    def target_group(self) -> str:
        """Return the TargetGroup value of this case."""
        has_children = self.children.exists()
        if self.gender == Gender.WOMAN:
            return TargetGroup.WOMAN_WITH_CHILDREN if has_children else TargetGroup.WOMAN_WITHOUT_CHILDREN
        return TargetGroup.MAN_WITH_CHILDREN if has_children else TargetGroup.MAN_WITHOUT_CHILDREN


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A per-case grant to one person (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("behörighet till ärende")
        verbose_name_plural = _("behörigheter till ärenden")


class Child(models.Model):
    """An accompanying child, known only by age; informed and heard as the plan requires."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    age = models.PositiveSmallIntegerField(_("ålder"))
    informed = models.BooleanField(_("informerat"), default=False)
    heard = models.BooleanField(_("fått lämna synpunkter"), default=False)

    class Meta:
        verbose_name = _("medföljande barn")
        verbose_name_plural = _("medföljande barn")
        ordering = ["-age", "pk"]
        constraints = [models.CheckConstraint(condition=Q(age__lt=18), name="child_is_under_18")]

    @property
    def speaks_for_self(self) -> bool:
        """Children of 15 and over have the right to speak for themselves."""
        return self.age >= 15


class Preparation(models.Model):
    """The sending side's preparation before any request (rule 2). Working notes stay on this side."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="preparation")
    risk_method = models.CharField(_("metod för riskbedömning"), max_length=20, choices=RiskMethod.choices, blank=True)
    risk_method_other = models.CharField(_("annan metod"), max_length=100, blank=True)
    risk_assessed_on = models.DateField(_("riskbedömning gjord"), null=True, blank=True)
    police_assessment = models.CharField(
        _("polisens bedömning"), max_length=20, choices=PoliceAssessment.choices, blank=True
    )
    police_assessed_on = models.DateField(_("polisens bedömning daterad"), null=True, blank=True)
    consent_given_on = models.DateField(_("den enskildes samtycke givet"), null=True, blank=True)
    needs_investigated = models.BooleanField(_("utredning av behov av skydd och stöd gjord"), default=False)
    adult_analysis_done = models.BooleanField(_("separat analys för vuxna gjord"), default=False)
    children_analysis_done = models.BooleanField(_("separat analys för barn gjord"), default=False)
    custody_assessed = models.BooleanField(
        _("vårdnad och umgänge bedömda och utgör inget hinder för flytt"), default=False
    )
    committee_assessed_on = models.DateField(_("socialnämndens bedömning"), null=True, blank=True)
    committee_move_necessary = models.BooleanField(_("byte av bostadsort är nödvändigt"), default=False)
    committee_within_county = models.BooleanField(_("skyddsbehovet kräver inte boende utanför länet"), default=False)
    notes = models.TextField(_("arbetsanteckningar (visas bara för överlämnande kommun)"), blank=True)

    class Meta:
        verbose_name = _("förberedelse")
        verbose_name_plural = _("förberedelser")


class RequestFormSection(models.TextChoices):
    """The nine sections of the plan's request form (förfrågningsunderlag)."""

    APPLICANT = "applicant", _("Bakgrundsinformation om sökande")
    PLACEMENT = "placement", _("Bakgrund till placering")
    AUTHORITIES = "authorities", _("Kontakter med rättsväsendet eller andra myndigheter")
    INTERVENTIONS = "interventions", _("Insatser")
    HOUSING = "housing", _("Boende")
    ECONOMY = "economy", _("Ekonomi och sysselsättning")
    CHILDREN = "children", _("Barn")
    MUNICIPALITY = "municipality", _("Lämplig kommun")
    OTHER = "other", _("Annan viktig information")


# The guiding questions of the plan's request form (its appendix): help text on the draft page, and
# printed in small type under a heading where the sender left that section empty. The last has none.
SECTION_GUIDANCE = {
    RequestFormSection.APPLICANT: _(
        "Var befinner sig personen i dagsläget? Beskriv kortfattat den sökande eller om de är flera sökande, "
        "ålder, kön, etnisk bakgrund, funktionsvariationer, fysisk och psykisk ohälsa, hbtq, missbruk, klan etc. "
        "Behov av tolk, vilket språk? Information om uppehållstillstånd? Inställning till flytt?"
    ),
    RequestFormSection.PLACEMENT: _(
        "Vad har hänt? Riskbedömning samt metod? Hur ser hotbilden ut? Tidigare kännedom? "
        "Tidigare placeringar eller andra insatser?"
    ),
    RequestFormSection.AUTHORITIES: _(
        "Angående förövaren/förövare, finns det en polisanmälan? Finns det en dom eller tidigare domar? "
        "Polisens riskbedömning? Kriminalvårdens bedömning? Kontakt med personsäkerhetsgruppen? Kontaktförbud? "
        "Skyddade personuppgifter? Namnbyte?"
    ),
    RequestFormSection.INTERVENTIONS: _(
        "Vilka insatser finns idag och bedöms finnas behov av? Särskilda behov? Behov av eller pågående insatser "
        "av hälso- och sjukvården? Andra viktiga stödinsatser/kontakter?"
    ),
    RequestFormSection.HOUSING: _(
        "Vilka åtgärder har tagits för att på egen hand lösa boendet? Finns det något som är viktigt att tänka på "
        "kring bostaden? Särskilda behov/önskemål om bostaden, till exempel tillgänglighet, våningsplan? Husdjur? "
        "Betalningsanmärkningar?"
    ),
    RequestFormSection.ECONOMY: _(
        "Ekonomi – egen försörjning eller behov av försörjningsstöd? Sysselsättning? Skulder och anmärkningar? "
        "Behov av skuld- och budgetrådgivning?"
    ),
    RequestFormSection.CHILDREN: _(
        "Vårdnaden? Finns det en dom på umgänge eller en pågående tvist? Hur ser ev. umgänge ut idag och hur "
        "planeras umgänget att fungera framöver? Barnens inställning till en flytt? Vad behövs i övrigt för "
        "barnen, skola/förskola? Behov av eller pågående insatser av hälso- och sjukvården? Andra viktiga "
        "stödinsatser/kontakter?"
    ),
    RequestFormSection.MUNICIPALITY: _(
        "Finns det särskilda skäl för val av kommun? Nätverket – risker och behov? Individens önskemål/behov?"
    ),
    RequestFormSection.OTHER: None,
}


class RequestFormDraft(models.Model):
    """The request form being written by the sending side; frozen into each Request when sent."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="form_draft")
    applicant = models.TextField(RequestFormSection.APPLICANT.label, blank=True)
    placement = models.TextField(RequestFormSection.PLACEMENT.label, blank=True)
    authorities = models.TextField(RequestFormSection.AUTHORITIES.label, blank=True)
    interventions = models.TextField(RequestFormSection.INTERVENTIONS.label, blank=True)
    housing = models.TextField(RequestFormSection.HOUSING.label, blank=True)
    economy = models.TextField(RequestFormSection.ECONOMY.label, blank=True)
    children = models.TextField(RequestFormSection.CHILDREN.label, blank=True)
    municipality = models.TextField(RequestFormSection.MUNICIPALITY.label, blank=True)
    other = models.TextField(RequestFormSection.OTHER.label, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("förfrågningsunderlag (utkast)")
        verbose_name_plural = _("förfrågningsunderlag (utkast)")

    def as_sections(self) -> dict[str, str]:
        """Return the form as ``{section value: text}`` in the plan's order."""
        return {section.value: getattr(self, section.value) for section in RequestFormSection}


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Skickad")
    CONSENTING = "consenting", _("Accepteras – väntar på samtycken")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Nekad")
    WITHDRAWN = "withdrawn", _("Återkallad")
    SUPERSEDED = "superseded", _("Avslutad – överenskommelse på annat håll")


OPEN_REQUEST_STATUSES = (RequestStatus.SENT, RequestStatus.CONSENTING)


class Request(models.Model):
    """The case offered to one receiving municipality, with the request form frozen when sent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="requests", verbose_name=_("ärende"))
    round = models.PositiveSmallIntegerField(_("omgång"))
    sender = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("från")
    )
    recipient = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="received_requests",
        verbose_name=_("till"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SENT)
    sent_at = models.DateTimeField(_("skickad"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reply_by = models.DateField(_("svar senast"))
    # {section value: text}, frozen at sending; never edited afterwards.
    form = models.JSONField(_("förfrågningsunderlag"), default=dict)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    close_reason = models.TextField(_("skäl"), blank=True)

    class Meta:
        verbose_name = _("förfrågan")
        verbose_name_plural = _("förfrågningar")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(recipient=F("sender")), name="request_not_to_own_municipality"),
            models.UniqueConstraint(
                fields=["case", "recipient"],
                condition=Q(status__in=["sent", "consenting"]),
                name="request_one_open_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["case", "round"],
                condition=Q(status="accepted"),
                name="request_one_acceptance_per_round",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["status", "reply_by"]),
            # Reports count requests by the period they were sent in.
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.recipient}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class DeclineGround(models.TextChoices):
    """The only two grounds the plan allows. Housing shortage is never a ground."""

    QUOTA_RECEIVED = "quota_received", _("Det överenskomna antalet ärenden har redan tagits emot")
    INSUFFICIENT_RESOURCES = "insufficient_resources", _("Kommunens interna resurser kan inte tillgodose behovet")


class DecisionOutcome(models.TextChoices):
    ACCEPT = "accept", _("Accepterar")
    DECLINE = "decline", _("Nekar")


# What retention leaves of a declined decision's motivation (the database requires one on a decline).
# Stored as it stands, in no particular language; shown translated by ``Decision.shown_motivation``.
ERASED_MOTIVATION = gettext_noop("[Raderad enligt gallringsregel]")


class Decision(models.Model):
    """The receiving municipality's written answer to a request."""

    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("beslut"), max_length=10, choices=DecisionOutcome.choices)
    ground = models.CharField(_("grund"), max_length=30, choices=DeclineGround.choices, blank=True)
    resources_description = models.TextField(_("beskrivning av kommunens resurser"), blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("beslutad"))

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        # Quota use and the reports count the decisions of a calendar year or period.
        indexes = [models.Index(fields=["decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="accept", ground="") | (Q(outcome="decline") & ~Q(ground="") & ~Q(motivation="")),
                name="decision_decline_has_ground_and_motivation",
            ),
        ]

    @property
    def shown_motivation(self) -> str:
        """The motivation as shown: retention's marker in the reader's language, else the text entered."""
        return gettext(ERASED_MOTIVATION) if self.motivation == ERASED_MOTIVATION else self.motivation


class UnitConsent(models.Model):
    """One affected unit's consent to accepting a request (rule 5)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="consents")
    unit = models.CharField(_("enhet"), max_length=20, choices=Unit.choices)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consented_at = models.DateTimeField(_("samtycke givet"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtycke från enhet")
        verbose_name_plural = _("samtycken från enheter")
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="consent_one_per_unit")]


class Side(models.TextChoices):
    SENDING = "sending", _("Överlämnande kommun")
    RECEIVING = "receiving", _("Mottagande kommun")


class MeetingKind(models.TextChoices):
    PRE_MEETING = "pre_meeting", _("Förmöte")
    FOLLOW_UP = "follow_up", _("Uppföljningsmöte")


class Meeting(models.Model):
    """A pre-meeting after acceptance or the joint follow-up meeting after the move."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField(_("omgång"))
    kind = models.CharField(_("typ"), max_length=20, choices=MeetingKind.choices)
    date = models.DateField(_("datum"))
    sending_units = models.JSONField(_("enheter från överlämnande kommun"), default=list)
    receiving_units = models.JSONField(_("enheter från mottagande kommun"), default=list)
    notes = models.TextField(_("anteckningar"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["date"]


class Collaboration(models.Model):
    """The joint investigation and agreements after acceptance (rule 9), one per round."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="collaborations")
    round = models.PositiveSmallIntegerField(_("omgång"))
    written_consent_on = models.DateField(_("skriftligt samtycke till utredning"), null=True, blank=True)
    investigation_started_on = models.DateField(_("mottagande kommuns utredning inledd"), null=True, blank=True)
    authority_agreements = models.TextField(
        _("överenskommelser om andra myndighetsfrågor (Arbetsförmedlingen, sfi, barnomsorg)"), blank=True
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="collaboration_one_per_round")]


class SendingChecklistItem(models.TextChoices):
    """The sending side's safety review before the move, as in the plan."""

    TAX_AGENCY = "tax_agency", _("Skatteverket har beslutat om skyddade personuppgifter före flytten")
    MOVING_FIRM = "moving_firm", _("Den praktiska flytten (flyttfirma från annan ort, ev. mellanstation)")
    CARE_PROVIDERS = "care_providers", _("Vårdgivare, inkl. BVC och skolhälsovården (sekretess)")
    SAFETY_DIALOGUE = "safety_dialogue", _("Dialog om säkerhetsmedvetenhet (ny livshistoria, sociala medier)")
    OLD_SCHOOL = "old_school", _("Dialog med den gamla skolan om dokument som ska föras över")
    CONTACT_SAFETY = "contact_safety", _("Säkerhetsplanering kring eventuellt umgänge")


class ReceivingChecklistItem(models.TextChoices):
    """The receiving side's safety review before the move, as in the plan."""

    CARE_PROVIDERS = "care_providers", _("Vårdgivare (sekretess)")
    HOUSING_COMPANY = "housing_company", _("Det nya bostadsbolaget (namn på dörr med mera)")
    POLICE = "police", _("Polis med i planeringsmöte i den nya kommunen")
    SAFETY_DIALOGUE = "safety_dialogue", _("Dialog om säkerhetsmedvetenhet (ny livshistoria, sociala medier)")
    SCHOOL = "school", _("Sekretess och skyddade personuppgifter i skolan (möte bokat)")
    CONTACT_SAFETY = "contact_safety", _("Säkerhetsplanering kring eventuellt umgänge")


class MovePlan(models.Model):
    """The joint plan for the move (rules 10–11), one per round."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="move_plans")
    round = models.PositiveSmallIntegerField(_("omgång"))
    # {item value: True/False}
    sending_checklist = models.JSONField(_("överlämnande kommuns säkerhetsgenomgång"), default=dict)
    receiving_checklist = models.JSONField(_("mottagande kommuns säkerhetsgenomgång"), default=dict)
    who_packs = models.TextField(_("vem packar?"), blank=True)
    what_goes = models.TextField(_("vad kan tas med, vad behöver köpas nytt?"), blank=True)
    access_before_move = models.TextField(_("tillträde före flytt?"), blank=True)
    protected_data_applied = models.BooleanField(_("skyddade personuppgifter har sökts"), default=False)
    protected_data_decided_on = models.DateField(_("Skatteverkets beslut"), null=True, blank=True)
    planned_move_date = models.DateField(_("planerat flyttdatum"), null=True, blank=True)
    moved_on = models.DateField(_("flyttdatum"), null=True, blank=True, editable=False)
    move_confirmed_at = models.DateTimeField(_("flytt bekräftad"), null=True, blank=True, editable=False)
    # Rule 11: an agreed other date for the passing of economic responsibility.
    economic_agreement_date = models.DateField(_("överenskommet datum för ekonomiskt ansvar"), null=True, blank=True)
    economic_agreement_note = models.TextField(_("överenskommelse om ekonomiskt ansvar"), blank=True)
    economic_agreement_recorded_on = models.DateField(_("överenskommelsen gjord"), null=True, blank=True)

    class Meta:
        verbose_name = _("flyttplan")
        verbose_name_plural = _("flyttplaner")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="move_plan_one_per_round"),
            models.CheckConstraint(
                condition=Q(moved_on__isnull=True)
                | Q(protected_data_applied=False)
                | Q(protected_data_decided_on__isnull=False),
                name="move_plan_no_move_before_tax_agency_decision",
            ),
        ]


class CostItem(models.Model):
    """A cost of the move and the side that pays it."""

    move_plan = models.ForeignKey(MovePlan, on_delete=models.CASCADE, related_name="cost_items")
    description = models.CharField(_("kostnad"), max_length=200)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=10, decimal_places=2, null=True, blank=True)
    payer = models.CharField(_("betalas av"), max_length=10, choices=Side.choices)

    class Meta:
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        ordering = ["pk"]


class CaseEvent(models.Model):
    """One row of a case's timeline, written in the same transaction as the change it records."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    request = models.ForeignKey(Request, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    at = models.DateTimeField(_("tid"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(pgettext_lazy("event", "händelse"), max_length=40)
    # Structured details (ids, dates, choices); never free text of the case.
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]


class LusamRecord(models.Model):
    """What the sending municipality reports to LUSAM when a case ends (rule 14), collected from the case."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="lusam_record")
    sending_municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+")
    asked = models.ManyToManyField("municipalities.Municipality", related_name="+", blank=True)
    target_group = models.CharField(max_length=30, choices=TargetGroup.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    destination = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_accepted_by = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_moved_reason = models.CharField(max_length=30, choices=NotMovedReason.choices, blank=True)
    first_sent_on = models.DateField(null=True, blank=True)
    first_accepted_on = models.DateField(null=True, blank=True)
    moved_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField()
    presented_at = models.ForeignKey(
        "municipalities.LusamMeeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )

    class Meta:
        verbose_name = _("LUSAM-redovisning")
        verbose_name_plural = _("LUSAM-redovisningar")
        indexes = [models.Index(fields=["closed_on"])]
