"""Small SQL building blocks for the report selectors."""

from django.db import connection
from django.db.models import Aggregate, DateField, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone


def local_date(field: str) -> TruncDate:
    """Return the local (Europe/Stockholm) calendar date of a datetime column."""
    return TruncDate(field, tzinfo=timezone.get_default_timezone(), output_field=DateField())


class DaysBetween(Func):
    """Whole days from the second date expression to the first (``later - earlier``)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Median(Aggregate):
    """The median of an expression (PostgreSQL ``percentile_cont``; NULLs are ignored)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def supports_median() -> bool:
    """Return whether the database computes medians itself (SQLite does not)."""
    return connection.vendor == "postgresql"
