"""After the move and closing (rules 12–14): the follow-up meeting, "revealed", closing with the LUSAM record."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms, workflow
from cases.models import MeetingKind
from cases.views.common import GET_POST, PostedForm, data_for, meeting_rows, posted_form, save, save_posted
from cases.views.context import sending_case, shared_case
from cases.workflow import Action


@require_http_methods(GET_POST)
def after_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The joint follow-up meeting (rule 13) and "revealed or cannot stay" (rule 12)."""
    case, context = shared_case(request, pk, "after_move")
    plan = context["plan"]
    which = posted_form(request)
    meeting_form = forms.MeetingForm(data_for(request, which, "meeting"), prefix="meeting", kind=MeetingKind.FOLLOW_UP)
    revealed_form = forms.RevealedForm(data_for(request, which, "revealed"), prefix="revealed")
    page_forms = {
        "meeting": PostedForm(
            meeting_form,
            workflow.meeting_record,
            _("Uppföljningsmötet är registrerat."),
            ("cases:after_move", case.pk),
        ),
        # The case goes back to the sending side's preparation: this page no longer exists for it.
        "revealed": PostedForm(
            revealed_form,
            workflow.case_revealed,
            _("Registrerat. Ärendet går tillbaka till överlämnande kommun för en ny omgång förfrågningar."),
            ("cases:detail", case.pk),
        ),
    }
    if response := save_posted(request, which, page_forms, case=case, actor=request.user):
        return response
    actions = context["actions"]
    context.update(
        {
            "plan": plan,
            "meeting_form": meeting_form,
            "revealed_form": revealed_form,
            "meetings": meeting_rows(case.meetings.filter(kind=MeetingKind.FOLLOW_UP).order_by("date")),
            "follow_up_due": workflow.follow_up_due(plan) if plan else None,
            "two_month_end": workflow.two_month_end(plan) if plan else None,
            "economic_date": workflow.economic_responsibility_date(plan) if plan else None,
            "can_meet": Action.FOLLOW_UP_RECORD in actions,
            "can_reveal": Action.CASE_REVEALED in actions,
        }
    )
    return render(request, "cases/after_move.html", context)


@require_http_methods(GET_POST)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case: moved, not moved (fixed reason and free text) or referred to the national network."""
    case, context = sending_case(request, pk, "close")
    form = forms.CloseForm(request.POST or None)
    if response := save(
        request,
        form,
        workflow.case_close,
        case=case,
        actor=request.user,
        success=_("Ärendet är avslutat och LUSAM-redovisningen ifylld."),
        then=("cases:detail", case.pk),
    ):
        return response
    context.update({"form": form, "can_close": Action.CASE_CLOSE in context["actions"]})
    return render(request, "cases/case_close.html", context)
