"""Answering-link tokens never reach a log line."""

import logging

from symetrie.logging import RedactTokens, redact


def test_tokens_in_answering_links_are_redacted():
    line = '"GET /r/Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF/ HTTP/1.1" 200'
    assert redact(line) == '"GET /r/[token]/ HTTP/1.1" 200'
    assert redact("/q/abcdefghijklmnopqrstuvwxyz012345/") == "/q/[token]/"


def test_the_logging_filter_rewrites_the_formatted_message():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, "%s", ("/r/Zx8d9Kq_2mN4pL7vR1sT6uW3/",), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == "/r/[token]/"


def test_gunicorn_access_log_lines_carry_no_token():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from symetrie.logging import RedactingGunicornLogger

    logger = RedactingGunicornLogger(Config())
    request = SimpleNamespace(
        method="GET",
        uri="/r/Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF/",
        path="/r/Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF/",
        query="",
        version=(1, 1),
        headers=[("REFERER", "https://x.org/q/abcdefghijklmnopqrstuvwxyz012345/")],
    )
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": request.path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x.org/q/abcdefghijklmnopqrstuvwxyz012345/",
    }
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    assert "Zx8d9Kq" not in repr(atoms)
    assert "abcdefghij" not in repr(atoms)
    assert atoms["r"] == "GET /r/[token]/ HTTP/1.1"
