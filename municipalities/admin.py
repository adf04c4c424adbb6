"""Administration of networks, municipalities and quotas. No case content is registered here."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanskompott.identifiers import FreeTextField
from municipalities.models import LusamMeeting, Municipality, Network, PopulationCount, QuotaOverride
from municipalities.population import follow_latest_count


class LusamMeetingInline(admin.TabularInline):
    model = LusamMeeting
    extra = 1


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "county_board", "county_board_email"]
    search_fields = ["name", "county_board"]
    inlines = [LusamMeetingInline]


# The override's reason is free text: the refusal of identifying data names the field.
FREE_TEXT = {models.CharField: {"form_class": FreeTextField}}


class QuotaOverrideInline(admin.TabularInline):
    model = QuotaOverride
    extra = 0
    formfield_overrides = FREE_TEXT


class PopulationCountInline(admin.TabularInline):
    """The population history: each year's quota follows the count made by the end of the year before."""

    model = PopulationCount
    extra = 0
    fields = ["counted_on", "population"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "scb_code",
        "network",
        "population",
        "population_counted_on",
        "quota_this_year",
        "participates",
        "national_network",
    ]
    list_filter = ["network", "participates", "national_network"]
    search_fields = ["name", "scb_code"]
    list_select_related = ["network"]
    inlines = [PopulationCountInline, QuotaOverrideInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("quota_overrides", "population_counts")

    def get_readonly_fields(self, request, obj=None):
        # Once a municipality exists its figures are the latest of its population history (the inline).
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["population", "population_counted_on"]
        return readonly

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        follow_latest_count(form.instance)

    @admin.display(description=_("fördelning i år"))
    def quota_this_year(self, obj: Municipality) -> int:
        return obj.quota_for(timezone.localdate().year)


@admin.register(QuotaOverride)
class QuotaOverrideAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "quota", "reason"]
    list_filter = ["year", "municipality__network"]
    search_fields = ["municipality__name", "municipality__scb_code"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    formfield_overrides = FREE_TEXT
