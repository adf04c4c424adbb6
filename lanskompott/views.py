"""Pages that belong to no single app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the start page of the signed-in user's role."""
    from lanskompott.dashboard import dashboard_for

    return render(request, "home.html", dashboard_for(request.user))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)
