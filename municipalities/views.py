"""Views of the municipalities app: the network's member directory (signed-in members only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from municipalities.selectors import directory_for_network, networks_for_user


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Show each municipality of the user's network with its quota, quota use and contact persons."""
    today = timezone.localdate()
    directories = [
        directory_for_network(network=network, year=today.year, today=today)
        for network in networks_for_user(user=request.user)
    ]
    return render(request, "municipalities/directory.html", {"directories": directories, "year": today.year})
