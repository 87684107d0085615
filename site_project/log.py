"""Logging helpers used by settings.LOGGING."""

import copy
import logging


class OneLineFormatter(logging.Formatter):
    """The message on one line, without the traceback. For records whose exception says
    nothing new, like a request with a Host header not in ALLOWED_HOSTS: a scanner sends
    thousands, and each was a 20-line traceback pointing into Django."""

    def format(self, record):
        record = copy.copy(record)  # other handlers still get the record as it was
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record).replace("\n", "\\n")
