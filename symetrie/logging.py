"""Logging filter that keeps respondent tokens out of every log line."""

import logging
import re

# Personal and public answering links carry their token as the last path part
# (/r/<token>/, /q/<token>/); tokens are long URL-safe strings.
_TOKEN_IN_PATH = re.compile(r"/(r|q)/[A-Za-z0-9_\-]{16,}")


def redact(text):
    """Return `text` with answering-link tokens replaced by a placeholder."""
    return _TOKEN_IN_PATH.sub(r"/\1/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def gunicorn_logger_class():
    """Gunicorn's logger with tokens redacted from every access-log field.

    Used with `--logger-class symetrie.logging.RedactingGunicornLogger`; imported
    lazily so that the web app itself does not need gunicorn.
    """
    from gunicorn.glogging import Logger

    class RedactingGunicornLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for key, value in atoms.items():
                if isinstance(value, str):
                    atoms[key] = redact(value)
            return atoms

    return RedactingGunicornLogger


def __getattr__(name):
    if name == "RedactingGunicornLogger":
        return gunicorn_logger_class()
    raise AttributeError(name)
