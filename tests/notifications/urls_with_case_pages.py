"""The app's URLs plus stand-ins for the case pages, to test where notifications lead once those exist."""

from django.http import HttpResponse
from django.urls import include, path

from lanskompott.urls import urlpatterns as app_urlpatterns


def page(request, pk=None):
    return HttpResponse("")


case_pages = (
    [
        path("<int:pk>/", page, name="detail"),
        path("forfragan/<int:pk>/", page, name="request_detail"),
        path("inkorg/", page, name="inbox"),
        path("samtycken/", page, name="consents"),
    ],
    "cases",
)

urlpatterns = [path("test-arenden/", include(case_pages))] + [
    pattern for pattern in app_urlpatterns if getattr(pattern, "namespace", None) != "cases"
]
