"""Who of the own municipality works on a case: grant and revoke (every change is logged)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms, selectors
from cases.access import can_manage_access, case_access_grant, case_access_revoke
from cases.views.common import GET_POST, attempt, attempt_with_message, data_for, done, posted_form
from cases.views.context import case_context, get_case


@require_http_methods(GET_POST)
def case_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of the own municipality works on the case; grant and revoke (every change is logged)."""
    case = get_case(request, pk)
    user = request.user
    if not can_manage_access(case, user):
        raise Http404
    context = case_context(request, case, "access")
    colleagues = selectors.colleagues_for_user(user=user)
    holders = selectors.case_access_holders(case=case)[context["side"]]
    which = posted_form(request)
    grant_form = forms.AccessGrantForm(
        data_for(request, which, "grant"), colleagues=colleagues.exclude(pk__in=[holder.pk for holder in holders])
    )
    if which == "grant" and grant_form.is_valid():
        colleague = grant_form.cleaned_data["user"]
        if attempt(grant_form, case_access_grant, case=case, actor=user, user=colleague):
            return done(
                request,
                _("%(name)s har fått behörighet till ärendet.") % {"name": colleague.get_full_name()},
                "cases:access",
                case.pk,
            )
    if which == "revoke":
        user_pk = request.POST.get("user", "")
        if not user_pk.isdigit():
            raise Http404
        colleague = get_object_or_404(colleagues, pk=int(user_pk))
        attempt_with_message(
            request,
            case_access_revoke,
            case=case,
            actor=user,
            user=colleague,
            success=_("Behörigheten för %(name)s är återkallad.") % {"name": colleague.get_full_name()},
        )
        return redirect("cases:access", case.pk)
    context.update({"holders": holders, "grant_form": grant_form})
    return render(request, "cases/access.html", context)
