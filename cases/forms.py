"""Forms of the case pages: they clean input, the workflow decides.

No form here saves anything: each view passes ``cleaned_data`` to one function of
``cases.workflow``, which checks the plan's rules and may refuse with a ``WorkflowError``.

Every free-text field is made by ``_free_text_field`` so that the check against personal
identity numbers reaches all of them from one place (``FREE_TEXT_VALIDATORS``).
"""

import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cases.models import (
    SECTION_GUIDANCE,
    Case,
    Collaboration,
    DeclineGround,
    Gender,
    MeetingKind,
    MovePlan,
    NotMovedReason,
    Outcome,
    PoliceAssessment,
    ReceivingChecklistItem,
    RequestFormSection,
    RiskMethod,
    SendingChecklistItem,
    Side,
)
from lanskompott.identifiers import FreeTextField, refuse_identifiers

# The validators of every free-text field: every field made by ``_free_text_field`` refuses
# personal identity numbers, phone numbers, e-mail and street addresses.
FREE_TEXT_VALIDATORS: tuple = (refuse_identifiers,)


class UIForm(forms.Form):
    """A form that can list its errors as links to the fields they belong to (the error summary)."""

    def error_links(self) -> list[tuple[str, str]]:
        """Return ``(anchor, message)`` for every error; non-field errors link to the form itself."""
        links = [("#" + self.form_anchor(), str(error)) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            bound = self[name]
            anchor = bound.auto_id
            if bound.widget_type in ("radioselect", "checkboxselectmultiple"):
                anchor = f"{anchor}_0"
            links.extend((f"#{anchor}", str(error)) for error in errors)
        return links

    def form_anchor(self) -> str:
        return f"{self.prefix or 'form'}-errors"

    # The names of the fields read from a saved object by ``initial_from``.
    FIELDS: tuple[str, ...] = ()

    @classmethod
    def initial_from(cls, obj) -> dict:
        """Return the initial values of ``FIELDS`` from a saved object (nothing for ``None``)."""
        if obj is None:
            return {}
        return {name: getattr(obj, name) for name in cls.FIELDS}

    def workflow_kwargs(self) -> dict:
        """Return the cleaned data as the keyword arguments of the workflow call this form feeds."""
        return dict(self.cleaned_data)


def _free_text_field(
    label,
    *,
    required: bool = False,
    help_text="",
    max_length: int | None = None,
    rows: int | None = 5,
) -> forms.CharField:
    """Return a free-text field (a textarea unless ``rows`` is None) with the free-text validators."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    # FreeTextField marks itself ``free_text`` for the test that every free-text field goes through here,
    # and names the field in its refusal.
    return FreeTextField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=widget,
        validators=list(FREE_TEXT_VALIDATORS),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, *, required: bool = False, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


def _units_field(label, *, required: bool = False, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        choices=Unit.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CaseForm(UIForm):
    """The target group of a case (rule 1) and the municipalities that must never be asked."""

    gender = forms.ChoiceField(label=_("Den enskilde är"), choices=Gender.choices, widget=forms.RadioSelect)
    adult_confirmed = forms.BooleanField(label=_("Den enskilde är över 18 år"), required=False)
    new_partner = forms.BooleanField(label=_("En ny partner ingår i flytten"), required=False)
    outpatient_manageable = forms.BooleanField(label=_("Stödbehoven kan tillgodoses inom öppenvården"), required=False)
    children_ages = forms.CharField(
        label=_("Medföljande barns åldrar"),
        required=False,
        max_length=100,
        help_text=_("Ange varje barns ålder i år, åtskilda med komma, till exempel 4, 9, 15. Lämna tomt utan barn."),
    )
    excluded_municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som aldrig får tillfrågas"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kommuner där våldsutövaren eller hans nätverk finns. De kan inte väljas som mottagare."),
    )

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["excluded_municipalities"].queryset = municipalities

    @classmethod
    def initial_from(cls, case: Case) -> dict:
        return {
            "gender": case.gender,
            "adult_confirmed": case.adult_confirmed,
            "new_partner": case.new_partner,
            "outpatient_manageable": case.outpatient_manageable,
            "children_ages": ", ".join(str(child.age) for child in case.children.all()),
            "excluded_municipalities": list(case.excluded_municipalities.all()),
        }

    def workflow_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["excluded_municipalities"] = list(data["excluded_municipalities"])
        return data

    def clean_children_ages(self) -> list[int]:
        text = self.cleaned_data["children_ages"].strip()
        if not text:
            return []
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Skriv åldrarna som heltal åtskilda med komma, till exempel 4, 9, 15."))
        ages = [int(part) for part in parts]
        if any(age > 17 for age in ages):
            raise forms.ValidationError(_("Ett medföljande barn är under 18 år. Vuxna ingår inte här."))
        return ages


class PreparationForm(UIForm):
    """The sending side's preparation before any request (rule 2)."""

    risk_method = forms.ChoiceField(
        label=_("Metod för strukturerad riskbedömning"),
        choices=[("", _("Välj metod"))] + list(RiskMethod.choices),
        required=False,
    )
    risk_method_other = _free_text_field(_("Annan metod, vilken?"), max_length=100, rows=None)
    risk_assessed_on = _date_field(_("Datum för riskbedömningen"))
    police_assessment = forms.ChoiceField(
        label=_("Polisens bedömning"),
        choices=PoliceAssessment.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    police_assessed_on = _date_field(_("Datum för polisens bedömning"))
    consent_given_on = _date_field(
        _("Datum för den enskildes samtycke"),
        help_text=_("Den våldsutsatta samtycker och medverkar i överflyttningsprocessen."),
    )
    needs_investigated = forms.BooleanField(
        label=_("Utredning av behov av skydd och stöd är gjord och stämmer med den enskildes önskemål"),
        required=False,
    )
    adult_analysis_done = forms.BooleanField(label=_("Separat analys för vuxna är gjord"), required=False)
    children_analysis_done = forms.BooleanField(label=_("Separat analys för barn är gjord"), required=False)
    custody_assessed = forms.BooleanField(
        label=_("Vårdnad och umgänge är bedömda och utgör inget hinder för flytt"), required=False
    )
    committee_assessed_on = _date_field(_("Datum för socialnämndens bedömning"))
    committee_move_necessary = forms.BooleanField(
        label=_("Socialnämnden bedömer att byte av bostadsort är nödvändigt"), required=False
    )
    committee_within_county = forms.BooleanField(
        label=_("Socialnämnden bedömer att skyddsbehovet inte kräver boende utanför länet"), required=False
    )
    notes = _free_text_field(
        _("Arbetsanteckningar"),
        help_text=_("Visas bara för överlämnande kommun, aldrig för mottagande kommun."),
    )

    FIELDS = (
        "risk_method",
        "risk_method_other",
        "risk_assessed_on",
        "police_assessment",
        "police_assessed_on",
        "consent_given_on",
        "needs_investigated",
        "adult_analysis_done",
        "children_analysis_done",
        "custody_assessed",
        "committee_assessed_on",
        "committee_move_necessary",
        "committee_within_county",
        "notes",
    )

    def fieldsets(self) -> list[tuple[str, list]]:
        """Return the fields grouped as the plan's checklist (legend, bound fields)."""
        groups = [
            (_("Riskbedömning"), ["risk_method", "risk_method_other", "risk_assessed_on"]),
            (_("Polisen"), ["police_assessment", "police_assessed_on"]),
            (_("Samtycke"), ["consent_given_on"]),
            (
                _("Utredning"),
                ["needs_investigated", "adult_analysis_done", "children_analysis_done", "custody_assessed"],
            ),
            (
                _("Socialnämndens bedömning"),
                ["committee_assessed_on", "committee_move_necessary", "committee_within_county"],
            ),
            (_("Anteckningar"), ["notes"]),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]


class ChildForm(UIForm):
    """Whether one accompanying child was informed and heard (rule 2)."""

    informed = forms.BooleanField(label=_("Barnet har informerats"), required=False)
    heard = forms.BooleanField(label=_("Barnet har fått lämna synpunkter och ge samtycke"), required=False)


# The plan's guiding questions as help text; the last section has none in the plan, so a reminder instead.
SECTION_HELP = {
    **SECTION_GUIDANCE,
    RequestFormSection.OTHER: _("Annat som mottagande kommun behöver veta. Skriv inga namn eller personnummer."),
}


class RequestFormDraftForm(UIForm):
    """The nine sections of the plan's request form, written anonymised."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for section in RequestFormSection:
            self.fields[section.value] = _free_text_field(
                section.label, help_text=SECTION_HELP[section], max_length=10_000, rows=6
            )

    def sections(self) -> dict[str, str]:
        return {section.value: self.cleaned_data.get(section.value, "") for section in RequestFormSection}

    def workflow_kwargs(self) -> dict:
        return {"sections": self.sections()}


class RecipientsForm(UIForm):
    """One to three municipalities to ask (rule 3); which may be asked is the workflow's matter."""

    recipients = forms.ModelMultipleChoiceField(
        label=_("Kommuner att tillfråga"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en kommun att tillfråga.")},
    )

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = municipalities

    def workflow_kwargs(self) -> dict:
        return {"recipients": list(self.cleaned_data["recipients"])}


class WithdrawForm(UIForm):
    reason = _free_text_field(
        _("Skäl till att förfrågan återkallas"),
        required=True,
        max_length=2000,
        rows=3,
        help_text=_("Den tillfrågade kommunen får veta att förfrågan återkallats. Skriv inga namn."),
    )


class AcceptForm(UIForm):
    """Start accepting a request: the units whose supervisors must consent (rule 5)."""

    units = _units_field(
        _("Berörda enheter"),
        required=True,
        help_text=_(
            "Välj varje enhet vars insatser berörs. Förfrågan accepteras först när arbetsledaren för varje vald "
            "enhet har samtyckt."
        ),
    )

    def __init__(self, *args, supervised_units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].error_messages["required"] = _("Välj minst en berörd enhet.")
        if supervised_units is not None:
            # Say which units have no supervisor in the system yet: their consent could not be given.
            self.fields["units"].choices = [
                (
                    value,
                    label
                    if value in supervised_units
                    else _("%(unit)s (ingen arbetsledare registrerad)") % {"unit": label},
                )
                for value, label in Unit.choices
            ]


class DeclineForm(UIForm):
    """A written, motivated decline on one of the two grounds the plan allows (rule 6)."""

    ground = forms.ChoiceField(
        label=_("Grund för att neka"),
        choices=DeclineGround.choices,
        widget=forms.RadioSelect,
        help_text=_("Bostadsbrist i kommunen är aldrig en grund för att neka en förfrågan."),
        error_messages={"required": _("Välj en av de två grunderna.")},
    )
    motivation = _free_text_field(
        _("Skriftlig motivering"),
        required=True,
        max_length=5000,
        help_text=_("Ett nej ska vara skriftligen motiverat utifrån grunden ovan."),
    )
    resources_description = _free_text_field(
        _("Beskrivning av kommunens resurser"),
        max_length=5000,
        help_text=_("Krävs när kommunens interna resurser inte kan tillgodose behovet."),
    )


class MeetingForm(UIForm):
    """A pre-meeting or the follow-up meeting, with the units of both sides (rules 9 and 13)."""

    date = _date_field(_("Datum för mötet"), required=True)
    sending_units = _units_field(_("Enheter från överlämnande kommun"))
    receiving_units = _units_field(_("Enheter från mottagande kommun"))
    notes = _free_text_field(_("Anteckningar"), max_length=5000, rows=3)

    def __init__(self, *args, kind: str = MeetingKind.PRE_MEETING, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def workflow_kwargs(self) -> dict:
        return {**self.cleaned_data, "kind": self.kind}


class CollaborationForm(UIForm):
    """The receiving side's investigation after written consent, and agreements on other authorities (rule 9)."""

    written_consent_on = _date_field(
        capfirst(Collaboration._meta.get_field("written_consent_on").verbose_name),
        help_text=_("Den enskildes skriftliga samtycke till mottagande kommuns utredning."),
    )
    investigation_started_on = _date_field(
        capfirst(Collaboration._meta.get_field("investigation_started_on").verbose_name)
    )
    authority_agreements = _free_text_field(
        _("Överenskommelser om andra myndighetsfrågor"),
        max_length=5000,
        help_text=_("Till exempel inskrivning på Arbetsförmedlingen, sfi eller barnomsorg."),
    )

    FIELDS = ("written_consent_on", "investigation_started_on", "authority_agreements")


class MovePlanForm(UIForm):
    """The move plan: both sides' safety reviews, the practical plan and the planned date (rule 10)."""

    sending_checklist = forms.MultipleChoiceField(
        label=_("Överlämnande kommuns säkerhetsgenomgång"),
        choices=SendingChecklistItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    receiving_checklist = forms.MultipleChoiceField(
        label=_("Mottagande kommuns säkerhetsgenomgång"),
        choices=ReceivingChecklistItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    who_packs = _free_text_field(_("Vem packar?"), max_length=2000, rows=2)
    what_goes = _free_text_field(_("Vad kan tas med, vad behöver köpas nytt?"), max_length=2000, rows=2)
    access_before_move = _free_text_field(_("Är tillträde möjligt före flytten?"), max_length=2000, rows=2)
    protected_data_applied = forms.BooleanField(
        label=_("Skyddade personuppgifter har sökts hos Skatteverket"),
        required=False,
        help_text=_("Då kan flytten inte bekräftas förrän Skatteverkets beslut är registrerat."),
    )
    planned_move_date = _date_field(_("Planerat flyttdatum"))

    FIELDS = (
        "sending_checklist",
        "receiving_checklist",
        "who_packs",
        "what_goes",
        "access_before_move",
        "protected_data_applied",
        "planned_move_date",
    )

    def __init__(self, *args, side: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.side = side
        # Each side ticks its own safety review; the other side's is shown, not sent.
        other = "receiving_checklist" if side == Side.SENDING else "sending_checklist"
        self.fields[other].disabled = True

    @classmethod
    def initial_from(cls, plan: MovePlan) -> dict:
        initial = super().initial_from(plan)
        initial["sending_checklist"] = [key for key, done in plan.sending_checklist.items() if done]
        initial["receiving_checklist"] = [key for key, done in plan.receiving_checklist.items() if done]
        return initial

    def checklists(self) -> tuple[dict[str, bool], dict[str, bool]]:
        """Return both checklists as ``{item: done}`` for every item of the plan."""
        sending = set(self.cleaned_data["sending_checklist"])
        receiving = set(self.cleaned_data["receiving_checklist"])
        return (
            {item.value: item.value in sending for item in SendingChecklistItem},
            {item.value: item.value in receiving for item in ReceivingChecklistItem},
        )

    def workflow_kwargs(self) -> dict:
        """Return ``{"data": …}`` for ``move_plan_update``, with only the own side's checklist."""
        sending_list, receiving_list = self.checklists()
        data = {name: self.cleaned_data[name] for name in self.FIELDS if not name.endswith("_checklist")}
        if self.side == Side.SENDING:
            data["sending_checklist"] = sending_list
        else:
            data["receiving_checklist"] = receiving_list
        return {"data": data}


class CostItemForm(UIForm):
    description = _free_text_field(_("Kostnad"), required=True, max_length=200, rows=None)
    amount = forms.DecimalField(
        label=_("Belopp i kronor"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    payer = forms.ChoiceField(
        label=_("Betalas av"),
        choices=Side.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Överlämnande kommun står i regel för nya inköp, flyttkostnader och extra kostnader som sluträkningar."
        ),
    )


class TaxAgencyDecisionForm(UIForm):
    decided_on = _date_field(_("Datum för Skatteverkets beslut om skyddade personuppgifter"), required=True)


class EconomicAgreementForm(UIForm):
    """Another agreed date for the passing of economic responsibility (rule 11)."""

    agreed_date = _date_field(
        _("Överenskommet datum då mottagande kommun tar över det ekonomiska ansvaret"), required=True
    )
    note = _free_text_field(_("Överenskommelsen"), max_length=2000, rows=3)
    recorded_on = _date_field(_("Datum då överenskommelsen gjordes"), required=True)


class MoveConfirmForm(UIForm):
    moved_on = _date_field(_("Flyttdatum"), required=True)


class RevealedForm(UIForm):
    """The new home town was revealed, or the person cannot stay (rule 12)."""

    on = _date_field(_("Datum då det blev känt"), required=True)


class CloseForm(UIForm):
    """Closing a case; the LUSAM record is collected from the case itself (rule 14)."""

    outcome = forms.ChoiceField(label=_("Utfall"), choices=Outcome.choices, widget=forms.RadioSelect)
    not_moved_reason = forms.ChoiceField(
        label=_("Skäl till att flytten inte genomfördes"),
        choices=[("", _("Välj skäl"))] + list(NotMovedReason.choices),
        required=False,
        help_text=_("Fylls i när flytten inte genomfördes."),
    )
    note = _free_text_field(
        _("Kommentar"), max_length=2000, rows=3, help_text=_("Kort förklaring. Skriv inga namn eller personnummer.")
    )


class AccessGrantForm(UIForm):
    """Give a colleague of the same municipality access to a case."""

    user = forms.ModelChoiceField(label=_("Kollega"), queryset=None, empty_label=_("Välj kollega"))

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
