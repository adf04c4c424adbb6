"""The app's URLs plus pages that fail on purpose, for the canary tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lanskompott.urls import urlpatterns as app_urlpatterns


def fail_with_posted_text(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "") or request.GET.get("text", "")
    try:
        int(text)
    except ValueError as exc:
        raise RuntimeError(f"could not handle {text!r}") from exc
    return HttpResponse("ok")


urlpatterns = [path("test-fails/", fail_with_posted_text, name="test_fails"), *app_urlpatterns]
