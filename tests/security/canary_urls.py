"""The app's URLs plus pages that fail on purpose, for the canary tests."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from lanskompott.urls import urlpatterns as app_urlpatterns


def fail_with_posted_text(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "") or request.GET.get("text", "")
    try:
        int(text)
    except ValueError as exc:
        raise RuntimeError(f"could not handle {text!r}") from exc
    return HttpResponse("ok")


def case_not_yours(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer as the case selectors do for an object the user may not see."""
    raise Http404


urlpatterns = [
    path("test-fails/", fail_with_posted_text, name="test_fails"),
    # The same routes as the case pages, answering as their selectors do for a foreign object.
    path("arenden/<int:pk>/", case_not_yours, name="test_case_not_yours"),
    path("arenden/forfragan/<int:pk>/", case_not_yours, name="test_request_not_yours"),
    *app_urlpatterns,
]
