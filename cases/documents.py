"""What goes on the paper: the context of each PDF document of a case.

Each builder takes an object the caller has already fetched with permission (``request_get_for_user``,
``case_get_for_user``) and returns a plain dict for a template under ``templates/documents/``. The
builders only read; rendering is ``lanskompott.pdf.render_pdf``.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import economic_responsibility_date, follow_up_due
from cases.models import (
    SECTION_GUIDANCE,
    Decision,
    DecisionOutcome,
    MovePlan,
    ReceivingChecklistItem,
    Request,
    RequestFormSection,
    SendingChecklistItem,
    Side,
)


def _common(reference: str) -> dict:
    return {"organisation": settings.PDF_DOCUMENT_ORGANISATION, "reference": reference}


def _person(user) -> dict:
    """Return how a case officer is named on paper: name and work contact, never the username."""
    return {
        "name": user.get_full_name() or _("Handläggare"),
        "phone": user.phone,
        "email": user.email,
    }


def request_form_context(request: Request) -> dict:
    """Return the context of the request form (förfrågningsunderlag) frozen in ``request``."""
    case = request.case
    form = request.form or {}
    sections = []
    for section in RequestFormSection:
        text = form.get(section.value) or ""
        if not isinstance(text, str):
            text = str(text)
        text = text.strip()
        sections.append(
            {
                "key": section.value,
                "heading": section.label,
                "text": text,
                "guidance": None if text else SECTION_GUIDANCE.get(section),
            }
        )
    return {
        **_common(case.reference),
        "date": timezone.localdate(request.sent_at),
        "responsible_municipality": request.sender.name,
        "case_officer": _person(request.sent_by),
        "recipient": request.recipient.name,
        "reply_by": request.reply_by,
        # The target group, as the receiving side sees it on the request page (rule 1): no names, ages only.
        "gender": case.get_gender_display(),
        "new_partner": case.new_partner,
        "children_ages": [child.age for child in case.children.all()],
        "sections": sections,
        "erased": case.erased_at is not None,
    }


def decision_letter_context(request: Request) -> dict:
    """Return the context of the written decision on ``request``.

    Raises ``Decision.DoesNotExist`` while the request is unanswered.
    """
    decision: Decision = request.decision
    accepted = decision.outcome == DecisionOutcome.ACCEPT
    context = {
        **_common(request.case.reference),
        "date": timezone.localdate(decision.decided_at),
        "deciding_municipality": request.recipient.name,
        "requesting_municipality": request.sender.name,
        "request_sent_on": timezone.localdate(request.sent_at),
        "decided_by": _person(decision.decided_by)["name"],
        "accepted": accepted,
    }
    if accepted:
        context["consents"] = [
            {
                "unit": consent.get_unit_display(),
                "date": timezone.localdate(consent.consented_at) if consent.consented_at else None,
            }
            for consent in request.consents.order_by("unit")
        ]
    else:
        context.update(
            ground=decision.get_ground_display(),
            motivation=decision.shown_motivation.strip(),
            resources_description=decision.resources_description.strip(),
        )
    return context


def _checklist(heading: str, choices, state: dict) -> dict:
    items = [{"label": item.label, "done": bool((state or {}).get(item.value))} for item in choices]
    return {"heading": heading, "items": items, "done_count": sum(item["done"] for item in items)}


def _economic_responsibility(move_plan: MovePlan) -> tuple[date | None, str]:
    """Return the date economic responsibility passes and what it rests on (agreed / moved / planned)."""
    if move_plan.economic_agreement_date is not None:
        return move_plan.economic_agreement_date, "agreed"
    if move_plan.moved_on is not None:
        return economic_responsibility_date(move_plan.moved_on), "moved"
    if move_plan.planned_move_date is not None:
        return economic_responsibility_date(move_plan.planned_move_date), "planned"
    return None, ""


def move_plan_context(move_plan: MovePlan) -> dict:
    """Return the context of the move plan: both checklists, the dates, the practical plan and the costs."""
    case = move_plan.case
    responsibility_date, responsibility_basis = _economic_responsibility(move_plan)
    cost_items = list(move_plan.cost_items.all())
    totals = []
    for side in Side:
        amounts = [item.amount for item in cost_items if item.payer == side.value and item.amount is not None]
        if amounts:
            totals.append({"payer": side.label, "amount": sum(amounts, Decimal(0))})
    return {
        **_common(case.reference),
        "date": timezone.localdate(),
        "sending_municipality": case.sending_municipality.name,
        "receiving_municipality": case.receiving_municipality.name if case.receiving_municipality_id else "",
        "planned_move_date": move_plan.planned_move_date,
        "protected_data_applied": move_plan.protected_data_applied,
        "protected_data_decided_on": move_plan.protected_data_decided_on,
        "moved_on": move_plan.moved_on,
        "economic_responsibility_date": responsibility_date,
        "economic_responsibility_basis": responsibility_basis,
        "economic_agreement_note": move_plan.economic_agreement_note.strip(),
        "economic_agreement_recorded_on": move_plan.economic_agreement_recorded_on,
        "follow_up_due": follow_up_due(move_plan.moved_on) if move_plan.moved_on else None,
        "checklists": [
            _checklist(_("Överlämnande kommuns säkerhetsgenomgång"), SendingChecklistItem, move_plan.sending_checklist),
            _checklist(
                _("Mottagande kommuns säkerhetsgenomgång"), ReceivingChecklistItem, move_plan.receiving_checklist
            ),
        ],
        "practical": [
            {"heading": _("Vem packar?"), "text": move_plan.who_packs.strip()},
            {"heading": _("Vad kan tas med, vad behöver köpas nytt?"), "text": move_plan.what_goes.strip()},
            {"heading": _("Tillträde före flytt?"), "text": move_plan.access_before_move.strip()},
        ],
        "cost_items": [
            {"description": item.description, "amount": item.amount, "payer": item.get_payer_display()}
            for item in cost_items
        ],
        "cost_totals": totals,
    }
