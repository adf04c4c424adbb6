"""Keep identity numbers out of logs and error reports.

A free-text field refuses an identity number, but the refused text still passes through the
request, and an exception can carry it (a database error repeats the value it refused). Every
log record and every error report is scrubbed before it is written anywhere.
"""

import logging

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from lanskompott.identifiers import scrub

_FORMATTER = logging.Formatter()


class ScrubIdentifiersFilter(logging.Filter):
    """Mask identity numbers in a record's message, arguments and traceback.

    Installed on every handler and on Django's request loggers in settings.LOGGING. The record
    is changed in place, so that handlers that run later see the masked text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not drop the record
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            # The formatted, masked text is what is written; the live exception is not kept.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class ScrubbingExceptionReporterFilter(SafeExceptionReporterFilter):
    """An error report that shows no posted value and masks identity numbers in local variables."""

    def is_active(self, request) -> bool:
        # Also with DEBUG on: a developer's error page must not show case text either.
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        return {name: scrub(str(value)) for name, value in super().get_safe_request_meta(request).items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, scrub(repr(value))) for name, value in variables]


class ScrubbingExceptionReporter(ExceptionReporter):
    """Django's error report with identity numbers masked in the exception text and the query string."""

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if data.get("exception_value"):
            data["exception_value"] = scrub(str(data["exception_value"]))
        if data.get("request_insecure_uri"):
            data["request_insecure_uri"] = scrub(data["request_insecure_uri"])
        if "request_GET_items" in data:
            data["request_GET_items"] = [(name, scrub(value)) for name, value in data["request_GET_items"]]
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = scrub(str(frame["exc_cause"]))
        return data
