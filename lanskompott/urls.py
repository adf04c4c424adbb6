"""URL configuration: every page of the app."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from lanskompott import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The admin signs in through the same two-step sign-in as every other page.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("kommuner/", include("municipalities.urls")),
    path("arenden/", include("cases.urls")),
    path("notiser/", include("notifications.urls")),
    path("rapporter/", include("reports.urls")),
    path("dokument/", include("cases.document_urls")),
    path("granskning/", include("audit.urls")),
]

admin.site.site_header = _("Administration")
admin.site.site_title = _("Administration")
