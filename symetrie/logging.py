"""Logging filter that keeps respondent tokens and e-mail addresses out of every log line."""

import logging
import re

# A quoted-printable soft line break: an e-mail printed by the console backend in a
# Celery worker reaches the worker's log in that form, its links cut every 76 columns.
_SOFT_BREAK = r"(?:=\r?\n)?"
# Personal and public answering links carry their token as the last path part
# (/r/<token>/, /q/<token>/); tokens are long URL-safe strings (never an "=" in them).
_TOKEN_IN_PATH = re.compile(rf"/{_SOFT_BREAK}(r|q){_SOFT_BREAK}/(?:[A-Za-z0-9_\-]|=\r?\n){{16,}}")
# Addresses as typed, or URL-encoded in a query string (?user=helene%40example.org).
_EMAIL = re.compile(r"[\w.+%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")


def redact(text):
    """Return `text` with answering-link tokens and e-mail addresses replaced by placeholders."""
    return _EMAIL.sub("[e-mail]", _TOKEN_IN_PATH.sub(r"/\1/[token]", text))


class RedactTokens(logging.Filter):
    """Rewrites a record's message, and the traceback logged with it, through `redact`."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # What the formatter would write; set here so that it is written redacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def gunicorn_logger_class():
    """Gunicorn's logger with tokens and e-mail addresses redacted from the access log,
    and from the error log ("Error handling request /r/…").

    Used with `--logger-class symetrie.logging.RedactingGunicornLogger`; imported
    lazily so that the web app itself does not need gunicorn.
    """
    from gunicorn.glogging import Logger

    class RedactingGunicornLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            for handler in self.error_log.handlers:
                handler.addFilter(RedactTokens())
            # On the logger, whatever its handlers: each access line is redacted once,
            # as written, rather than every request and response header it could use.
            # (The logger is global and setup runs again on a reload: one filter.)
            if not any(isinstance(each, RedactTokens) for each in self.access_log.filters):
                self.access_log.addFilter(RedactTokens())

    return RedactingGunicornLogger


def __getattr__(name):
    if name == "RedactingGunicornLogger":
        return gunicorn_logger_class()
    raise AttributeError(name)
