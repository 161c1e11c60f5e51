"""Logging filter that keeps secret links' tokens and e-mail addresses out of every log line."""

import logging
import re

# A quoted-printable soft line break: an e-mail printed by the console backend in a
# Celery worker reaches the worker's log in that form, its links cut every 76 columns.
_SOFT_BREAK = r"(?:=\r?\n)?"
# One character of a URL-safe token or id (never an "=" in them), or a soft break.
_URL_SAFE = r"(?:[A-Za-z0-9_\-]|=\r?\n)"


def _spelled(literal):
    """A pattern for `literal` that also matches it cut anywhere by soft line breaks."""
    return _SOFT_BREAK.join(re.escape(character) for character in literal)


# Every link that carries a secret, as (pattern, replacement): the path keeps its shape.
_SECRET_LINKS = [
    # Personal and public answering links carry their token as the last path part
    # (/r/<token>/, /q/<token>/); tokens are long URL-safe strings.
    (re.compile(rf"/{_SOFT_BREAK}(r|q){_SOFT_BREAK}/{_URL_SAFE}{{16,}}"), r"/\1/[token]"),
    # The set-password link a new manager gets by e-mail, account access for
    # PASSWORD_RESET_TIMEOUT: /password/set/<uidb64>/<token>/ (symetrie/urls.py). The
    # whole token goes, whatever its length (a truncated one is still most of it);
    # Django's own next step, .../<uidb64>/set-password/, holds none and stays.
    (
        re.compile(
            rf"({_spelled('/password/set/')}{_URL_SAFE}+/)"
            rf"(?!set-password/){_URL_SAFE}+"
        ),
        r"\1[token]",
    ),
    # A secret in a query string: an authenticator's otpauth://…?secret=, any ?token=.
    (re.compile(r"([?&](?:secret|token)=)[^&#\s\"'<>]+"), r"\1[token]"),
]
# Addresses as typed, or URL-encoded in a query string (?user=helene%40example.org).
_EMAIL = re.compile(r"[\w.+%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")


def redact(text):
    """Return `text` with the tokens of secret links (answering, set-password, a secret
    in a query string) and e-mail addresses replaced by placeholders."""
    for pattern, replacement in _SECRET_LINKS:
        text = pattern.sub(replacement, text)
    return _EMAIL.sub("[e-mail]", text)


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
