"""The county network, its member municipalities, their quotas and LUSAM meetings."""

from collections.abc import Iterable
from datetime import date

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from lanskompott.identifiers import refuse_identifiers
from municipalities.quota import quota_from_population


class Network(models.Model):
    """A county's network of municipalities, convened by its county administrative board."""

    slug = models.SlugField(_("kortnamn"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    county_board = models.CharField(_("länsstyrelse"), max_length=200)
    county_board_email = models.EmailField(_("länsstyrelsens e-post"), blank=True)

    class Meta:
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LusamMeeting(models.Model):
    """One meeting of the network's contact persons (six a year)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("nätverk"))
    date = models.DateField(_("datum"))

    class Meta:
        verbose_name = _("LUSAM-möte")
        verbose_name_plural = _("LUSAM-möten")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["network", "date"], name="lusam_meeting_unique_date")]

    def __str__(self) -> str:
        return f"{self.network} {self.date:%Y-%m-%d}"


class Municipality(models.Model):
    """A municipality that takes part in a network."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("nätverk")
    )
    name = models.CharField(_("namn"), max_length=100)
    scb_code = models.CharField(
        _("kommunkod (SCB)"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunkoden består av fyra siffror."))],
    )
    population = models.PositiveIntegerField(_("folkmängd"))
    population_counted_on = models.DateField(_("folkmängd räknad"))
    participates = models.BooleanField(_("deltar"), default=True)
    participates_since = models.DateField(_("deltar sedan"), null=True, blank=True)
    director_decision_on = models.DateField(_("socialchefens beslut"), null=True, blank=True)
    national_network = models.BooleanField(_("med i det nationella nätverket"), default=False)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="municipality_unique_name_in_network"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quota_from_key(self) -> int:
        """Return the quota that the key gives for the latest population (not a given year's: see quota_for)."""
        return quota_from_population(self.population)

    def quota_for(self, year: int) -> int:
        """Return the number of cases this municipality takes and hands over in ``year`` (rule 8).

        The key applies to the population counted last on or before 31 December of the previous year
        (figures counted at the end of 2023 govern 2024); an administrator's override for that year wins.
        With ``prefetch_related("quota_overrides", "population_counts")`` this costs no query.
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "quota_overrides" in cache and "population_counts" in cache:
            override = next((item.quota for item in cache["quota_overrides"] if item.year == year), None)
            counts = sorted((item.counted_on, item.population) for item in cache["population_counts"])
            cutoff = quota_cutoff(year)
            before = [population for counted_on, population in counts if counted_on <= cutoff]
            return _quota(
                override=override,
                counted_before=before[-1] if before else None,
                earliest=counts[0][1] if counts else None,
                latest=self.population,
            )
        return Municipality.quotas_for([self], year)[self.pk]

    @classmethod
    def quotas_for(cls, municipalities: Iterable["Municipality"], year: int) -> dict[int, int]:
        """Return ``{id: quota}`` of ``municipalities`` for ``year`` in one query, by the rule of ``quota_for``."""
        ids = [m.pk for m in municipalities]
        if not ids:
            return {}
        counts = PopulationCount.objects.filter(municipality=OuterRef("pk")).values("population")
        rows = (
            cls.objects.filter(pk__in=ids)
            .annotate(
                override=Subquery(
                    QuotaOverride.objects.filter(municipality=OuterRef("pk"), year=year).values("quota")[:1]
                ),
                counted_before=Subquery(counts.filter(counted_on__lte=quota_cutoff(year)).order_by("-counted_on")[:1]),
                earliest=Subquery(counts.order_by("counted_on")[:1]),
            )
            .values_list("pk", "override", "counted_before", "earliest", "population")
        )
        return {
            pk: _quota(override=override, counted_before=before, earliest=earliest, latest=latest)
            for pk, override, before, earliest, latest in rows
        }


def quota_cutoff(year: int) -> date:
    """Return the last day a population count may be made to govern ``year``'s quota: 31 December before it."""
    return date(year - 1, 12, 31)


def _quota(*, override: int | None, counted_before: int | None, earliest: int | None, latest: int) -> int:
    """The one place of rule 8's choice, whichever way the figures were read.

    An administrator's override for the year wins; else the key applies to the latest count made by the
    cutoff (``counted_before``); without one that old, to the earliest count; a municipality without any
    count (made outside ``load_network``/``import_population``) falls back to its own latest figures.
    """
    if override is not None:
        return override
    population = counted_before if counted_before is not None else earliest
    return quota_from_population(latest if population is None else population)


class PopulationCount(models.Model):
    """One population figure of a municipality (SCB), kept so that past years' quotas do not change."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_counts", verbose_name=_("kommun")
    )
    counted_on = models.DateField(_("räknad"))
    population = models.PositiveIntegerField(_("folkmängd"))

    class Meta:
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängder")
        ordering = ["-counted_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "counted_on"], name="population_count_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.counted_on:%Y-%m-%d}: {self.population}"


class QuotaOverride(models.Model):
    """An administrator's own number of cases for one municipality and one period (a calendar year)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="quota_overrides", verbose_name=_("kommun")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2000)])
    quota = models.PositiveSmallIntegerField(_("antal ärenden"))
    # Free text: refuses identity numbers, phone numbers, e-mail and street addresses like every other.
    reason = models.CharField(_("skäl"), max_length=300, blank=True, validators=[refuse_identifiers])

    class Meta:
        verbose_name = _("ändrad fördelning")
        verbose_name_plural = _("ändrade fördelningar")
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="quota_override_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.quota}"
