"""The sending side's preparation before any request (rule 2) and the request form draft."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms, selectors, workflow
from cases.models import Case
from cases.views.common import GET_POST, attempt, disable, done, one_form_page
from cases.views.context import case_context, get_case, sending_case
from cases.workflow import Action


def _child_forms(case: Case, data) -> list[tuple]:
    """Return ``(child, form)`` for every accompanying child of the case, read fresh."""
    return [
        (
            child,
            forms.ChildForm(
                data, prefix=f"child-{child.pk}", initial={"informed": child.informed, "heard": child.heard}
            ),
        )
        for child in case.children.all()
    ]


def _save_preparation(*, case: Case, actor, form, child_forms) -> None:
    """Save what changed on the page: the preparation, then each child (one transaction, see ``attempt``)."""
    if form.has_changed():
        workflow.preparation_update(case=case, actor=actor, data=form.cleaned_data)
    for child, child_form in child_forms:
        if child_form.has_changed():
            workflow.child_update(
                child=child,
                actor=actor,
                informed=child_form.cleaned_data["informed"],
                heard=child_form.cleaned_data["heard"],
            )


@require_http_methods(GET_POST)
def preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The preparation checklist of the plan (rule 2), with each child informed and heard."""
    case = get_case(request, pk)
    context = case_context(request, case, "preparation")
    prep = selectors.case_preparation_for_user(case=case, user=request.user)
    if prep is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = forms.PreparationForm(data, initial=forms.PreparationForm.initial_from(prep), prefix="prep")
    child_forms = _child_forms(case, data)
    can_edit = Action.PREPARATION_UPDATE in context["actions"]
    if not can_edit and data is None:
        disable(form, *(child_form for _child, child_form in child_forms))
    valid = data is not None and form.is_valid() and all(child_form.is_valid() for _c, child_form in child_forms)
    if valid and attempt(form, _save_preparation, case=case, actor=request.user, form=form, child_forms=child_forms):
        return done(request, _("Förberedelsen är sparad."), "cases:preparation", case.pk)
    if valid:
        # Refused and nothing saved: show the children as they are now (the target group may have
        # changed since the page was opened), each with what was ticked for it.
        child_forms = _child_forms(case, data)
    context.update(
        {
            "form": form,
            "child_forms": child_forms,
            "can_edit": can_edit,
            "missing": workflow.preparation_missing(case),
        }
    )
    return render(request, "cases/preparation.html", context)


@require_http_methods(GET_POST)
def form_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The request form's nine sections, with the plan's guiding questions (its appendix)."""
    case, context = sending_case(request, pk, "form_draft")
    form = forms.RequestFormDraftForm(request.POST or None, initial=case.form_draft.as_sections())
    return one_form_page(
        request,
        case,
        context,
        form,
        call=workflow.form_draft_update,
        action=Action.FORM_DRAFT_UPDATE,
        success=_("Förfrågningsunderlaget är sparat."),
        url_name="cases:form_draft",
        template="cases/form_draft.html",
    )
