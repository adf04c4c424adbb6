"""The county network, its member municipalities, their quotas and LUSAM meetings."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
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
        """Return the quota that the key gives for the current population."""
        return quota_from_population(self.population)

    def quota_for(self, year: int) -> int:
        """Return the number of cases this municipality takes and hands over in ``year``.

        An administrator's override for that year wins over the key.
        """
        # With prefetch_related("quota_overrides"), a list of municipalities costs no query per row.
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("quota_overrides")
        if prefetched is not None:
            override = next((item.quota for item in prefetched if item.year == year), None)
        else:
            override = self.quota_overrides.filter(year=year).values_list("quota", flat=True).first()
        if override is not None:
            return override
        return self.quota_from_key


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
