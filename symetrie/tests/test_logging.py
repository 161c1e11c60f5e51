"""The tokens of secret links (answering, set-password), secrets and e-mail addresses
never reach a log line."""

import io
import logging
import re
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from conftest import AppServer, CeleryWorker, make_user, wait_for
from surveys import services
from surveys.models import Campaign, PublicLink
from surveys.tests.campaign_helpers import make_campaign, make_person, tokens_in
from surveys.tests.http_helpers import Visitor
from surveys.tests.respond_helpers import full_answers
from symetrie.logging import RedactTokens, redact


def test_tokens_in_answering_links_are_redacted():
    line = '"GET /r/Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF/ HTTP/1.1" 200'
    assert redact(line) == '"GET /r/[token]/ HTTP/1.1" 200'
    assert redact("/q/abcdefghijklmnopqrstuvwxyz012345/") == "/q/[token]/"


SET_PASSWORD_TOKEN = "d2x9k1-0f3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e"


def test_set_password_links_keep_their_shape_without_their_token():
    path = reverse("password_set_confirm", kwargs={"uidb64": "MTI", "token": SET_PASSWORD_TOKEN})
    assert redact(f'"GET {path} HTTP/1.1" 302') == '"GET /password/set/MTI/[token]/ HTTP/1.1" 302'
    assert redact(f"/login/code/?next={path}") == "/login/code/?next=/password/set/MTI/[token]/"
    # Django's next step holds no token (it moved into the session) and stays as it is.
    assert redact("/password/set/MTI/set-password/") == "/password/set/MTI/set-password/"
    assert redact("/password/set/done/") == "/password/set/done/"
    # A link cut short (by a mail client, say) is still most of a token.
    assert redact("/password/set/MTI/d2x9k1-0f3c ") == "/password/set/MTI/[token] "


def test_a_secret_in_a_query_string_is_redacted():
    otpauth = "otpauth://totp/Sym%C3%A9trie%3Ahelene?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1"
    assert redact(otpauth) == "otpauth://totp/Sym%C3%A9trie%3Ahelene?secret=[token]&algorithm=SHA1"
    assert redact("GET /hr/x/?page=2&token=Zx8d9Kq HTTP/1.1") == (
        "GET /hr/x/?page=2&token=[token] HTTP/1.1"
    )


def test_the_logging_filter_rewrites_the_formatted_message():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, "%s", ("/r/Zx8d9Kq_2mN4pL7vR1sT6uW3/",), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == "/r/[token]/"


def _access_line(tmp_path, request, environ, log_format=None):
    """The access-log line gunicorn writes for `request` through our logger class."""
    from gunicorn.config import Config

    from symetrie.logging import RedactingGunicornLogger

    logging.getLogger("gunicorn.access").filters.clear()  # global: start from none
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    if log_format:
        config.set("access_log_format", log_format)
    logger = RedactingGunicornLogger(config)
    # Only the file: a filter of another handler (pytest's capture) would rewrite the
    # record before it and hide what the class itself does.
    logger.access_log.handlers = [
        handler
        for handler in logger.access_log.handlers
        if isinstance(handler, logging.FileHandler)
    ]
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    logger.access(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_gunicorn_access_log_lines_carry_no_token(tmp_path):
    token, public = "Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF", "abcdefghijklmnopqrstuvwxyz012345"
    request = SimpleNamespace(
        method="GET",
        uri=f"/r/{token}/",
        path=f"/r/{token}/",
        query="",
        version=(1, 1),
        headers=[("REFERER", f"https://x.org/q/{public}/")],
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": request.path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://x.org/q/{public}/",
    }
    # The default format, and one that writes every path-like field there is.
    line = _access_line(tmp_path, request, environ)
    assert '"GET /r/[token]/ HTTP/1.1" 200' in line
    assert '"https://x.org/q/[token]/"' in line
    line = _access_line(tmp_path, request, environ, "%(r)s %(U)s %(f)s %({referer}i)s %(q)s")
    assert "GET /r/[token]/ HTTP/1.1 /r/[token]/ https://x.org/q/[token]/" in line
    assert token not in line and public not in line


def test_email_addresses_are_redacted_as_typed_or_url_encoded():
    assert redact("Refused: lea.martin+rh@example.org") == "Refused: [e-mail]"
    assert redact("GET /hr/audit/?user=helene%40example.org&page=2") == (
        "GET /hr/audit/?user=[e-mail]&page=2"
    )
    assert redact("a%2Bb%40example.co.uk") == "[e-mail]"
    assert redact("celery@worker ready, redis://:**@127.0.0.1:6379/0") == (
        "celery@worker ready, redis://:**@127.0.0.1:6379/0"
    )


def test_a_link_cut_by_quoted_printable_soft_line_breaks_is_redacted_whole():
    # How the console e-mail backend prints an HTML invitation (a worker logs it).
    printed = '<a href=3D"http://127.0.0.1:8000/r/_JJuPcsdQGn4R8nCmrfg_CG4NdHdTxirCy4j=\n1A2pdBg/">'
    assert redact(printed) == '<a href=3D"http://127.0.0.1:8000/r/[token]/">'
    assert redact("http://x.org/=\nq/abcdefghijklmnop/") == "http://x.org/q/[token]/"
    welcome = (
        f"https://x.org/password/se=\nt/MTI/{SET_PASSWORD_TOKEN[:20]}=\n{SET_PASSWORD_TOKEN[20:]}/"
    )
    assert redact(welcome) == "https://x.org/password/se=\nt/MTI/[token]/"


def test_a_traceback_logged_with_a_record_is_redacted_too():
    try:
        raise ValueError("no invitation for lea@example.org at /r/Zx8d9Kq_2mN4pL7vR1sT6uW3/")
    except ValueError:
        record = logging.LogRecord(
            "surveys", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    RedactTokens().filter(record)
    written = logging.Formatter().format(record)
    assert "ValueError: no invitation for [e-mail] at /r/[token]/" in written
    assert "lea@example.org" not in written and "Zx8d9Kq" not in written


def test_gunicorn_access_log_lines_carry_no_email_address(tmp_path):
    path, query = "/hr/audit/", "user=helene%40example.org"
    request = SimpleNamespace(
        method="GET", uri=f"{path}?{query}", path=path, query=query, version=(1, 1), headers=[]
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    line = _access_line(tmp_path, request, environ, "%(r)s %(q)s")
    assert "GET /hr/audit/?user=[e-mail] HTTP/1.1 user=[e-mail]" in line
    assert "helene" not in line


def test_gunicorn_error_log_lines_carry_no_token():
    from gunicorn.config import Config

    from symetrie.logging import RedactingGunicornLogger

    logger = RedactingGunicornLogger(Config())
    buffer = io.StringIO()
    for handler in logger.error_log.handlers:
        handler.setStream(buffer)
    try:
        raise OSError("lea@example.org")
    except OSError:
        logger.exception("Error handling request %s", "/r/Zx8d9Kq_2mN4pL7vR1sT6uW3yA5bC0eF/")
    written = buffer.getvalue()
    assert "Error handling request /r/[token]/" in written
    assert "OSError: [e-mail]" in written
    assert "Zx8d9Kq" not in written and "lea@" not in written


# --- a whole run, every log line read ----------------------------------------------------

PASSWORD = "correct-horse-battery"
WRONG_PASSWORD = "Wrong-Password-9k2"
PEOPLE = [("lea.martin@example.org", "employee"), ("tom.petit@example.org", "employee")]
CLIENT = "claire.client@example.org"


@pytest.fixture
def log_output(caplog):
    """Everything the configured log handlers write, the app's loggers at DEBUG.

    As with LOG_LEVEL=DEBUG: the root logger (so every app logger, axes and celery) at
    DEBUG, Django's own loggers at their usual INFO (SQL logging is a developer's tool
    that LOG_LEVEL never turns on).
    """
    caplog.set_level(logging.DEBUG)
    buffer = io.StringIO()
    handlers = {
        handler
        for name in ("", "django", "django.server", "django.request")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler) and handler.name == "console"
    }
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in previous.items():
        if stream is not None:
            handler.setStream(stream)


def secrets_in(text, secrets):
    """The names of the secrets found in `text` (never their values: this is a test log)."""
    return sorted(name for name, value in secrets.items() if value and value in text)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
def test_a_whole_campaign_run_writes_no_secret_token_password_or_address_to_the_logs(
    debug,
    settings,
    org,
    hr_user,
    smtp_server,
    log_output,
    caplog,
    client,
    django_capture_on_commit_callbacks,
):
    # With DEBUG on, Django's default console handler (no filter) would write too:
    # settings.LOGGING drops it, and `log_output` would catch it if it came back.
    settings.DEBUG = debug
    for email, side in PEOPLE:
        make_person(org["team"], email, side=side)
    make_person(org["team"], CLIENT, side="client")
    campaign = make_campaign([org["team"]])

    # HR logs in: a wrong password first (django-axes logs the failure), then the right
    # one; then launches, and the sending task (in-process: no broker) mails the links.
    wrong = {"username": hr_user.username, "password": WRONG_PASSWORD}
    assert client.post(reverse("login"), wrong).status_code == 200
    right = {"username": hr_user.username, "password": PASSWORD}
    assert client.post(reverse("login"), right).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:campaign_launch", args=[campaign.slug]), {"confirm": "yes"})
    links = {message.envelope_recipients[0]: tokens_in([message])[0] for message in smtp_server}
    assert sorted(links) == sorted([CLIENT, *(email for email, _ in PEOPLE)])
    tokens = list(links.values())
    public = PublicLink.objects.get(campaign=campaign).token

    # Respondents: an incomplete answer (400), a complete one, the same link again, a
    # link that does not exist (404), a client through the team's public link; each
    # answer queues a barometer refresh, computed in-process too.
    respondent = Client()
    personal = reverse("respond_personal", args=[links[PEOPLE[0][0]]])
    with django_capture_on_commit_callbacks(execute=True):
        assert respondent.get(personal).status_code == 200
        assert respondent.post(personal, {}).status_code == 400
        assert respondent.post(personal, full_answers(campaign, "employee")).status_code == 302
        assert respondent.get(personal).status_code == 200
        assert respondent.get(f"/r/{tokens[0][::-1]}/").status_code == 404  # no such link
        answers = full_answers(campaign, "client")
        assert respondent.post(reverse("respond_public", args=[public]), answers).status_code == 302

    secrets = {
        **{f"token {number}": token for number, token in enumerate(tokens)},
        "public link token": public,
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "SECRET_KEY": settings.SECRET_KEY,
        "session key": client.cookies["sessionid"].value,
        "HR user's address": hr_user.email,
        **{f"address of {side} {number}": email for number, (email, side) in enumerate(PEOPLE)},
        "client's address": CLIENT,
    }
    written = log_output.getvalue()
    assert secrets_in(written, secrets) == []
    assert secrets_in(caplog.text, secrets) == []
    # The run was logged, redacted: nothing above passes for want of log lines.
    assert "AXES: New login failure" in written
    assert "Bad Request: /r/[token]/" in written
    assert "Not Found: /r/[token]/" in written


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_printing_its_emails_logs_them_without_tokens_or_addresses(org, redis_url):
    """Without EMAIL_HOST the console backend prints each e-mail, and a worker's output
    is its log: the links and addresses in it are redacted, even where quoted-printable
    cut them across lines."""
    addresses = [email for email, _ in PEOPLE]
    for email in addresses:
        make_person(org["team"], email)
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=1))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
    worker = CeleryWorker(redis_url, EMAIL_HOST="")
    try:
        worker.send(
            "surveys.tasks.invitations_send",
            list(campaign.invitations.values_list("id", flat=True)),
        )
        wait_for(
            lambda: not campaign.invitations.filter(sent_count=0).exists(), what="the invitations"
        )
    finally:
        worker.stop()
        redis.Redis.from_url(redis_url).delete(worker.queue)
    log = Path(worker.log.name).read_text()

    assert log.count("To: [e-mail]") == len(addresses)  # the e-mails are in the log...
    whole_lines = log.replace("=\n", "")  # ...their quoted-printable lines put back together
    assert re.findall(r"/r/(?!\[token\]/)", whole_lines) == []
    secrets = {f"address {number}": email for number, email in enumerate(addresses)}
    assert secrets_in(whole_lines, secrets | {"SECRET_KEY": django_settings.SECRET_KEY}) == []


# --- a manager's invitation, through gunicorn ---------------------------------------------

MANAGER = "nina.roux@example.org"
MANAGER_PASSWORD = "Vert-Sapin-Matin-42"


def upload(visitor, path, filename, content):
    """Post `content` as the import form's file, with the visitor's cookies and CSRF token."""
    body = encode_multipart(
        BOUNDARY,
        {"csrfmiddlewaretoken": visitor.csrf, "file": SimpleUploadedFile(filename, content)},
    )
    request = urllib.request.Request(
        visitor.base_url + path, data=body, headers={"Content-Type": MULTIPART_CONTENT}
    )
    with visitor.opener.open(request, timeout=visitor.timeout) as response:
        return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_manager_invitation_writes_the_set_password_token_to_no_log_line(settings, smtp_server):
    """HR imports a team whose manager has no account; the manager opens the e-mailed
    link (once with a stale form first) and chooses a password. Gunicorn's access and
    error logs and the app's log, at DEBUG, show the link's path without its token."""
    hr = make_user("helene@example.org", hr=True)
    # Stored with a hasher the server knows (the tests' fast one is not in its settings).
    hr.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    hr.save(update_fields=["password"])
    mail_port = settings.MAILERS["default"]["OPTIONS"]["port"]
    server = AppServer(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_port),
        LOG_LEVEL="DEBUG",
        GUNICORN_CMD_ARGS="--log-level debug",
    )
    try:
        office = Visitor(server.url)
        office.get("/login/")
        assert office.post("/login/", {"username": hr.username, "password": PASSWORD})[0] == 302
        office.get("/hr/teams/import/")  # the CSRF token changes at login
        teams = f"code,name,parent,managers\nlyon-bar,Bar,,{MANAGER}\n".encode()
        status, preview = upload(office, "/hr/teams/import/", "teams.csv", teams)
        assert status == 200
        token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
        assert office.post("/hr/teams/import/confirm/", {"token": token})[0] == 302
        welcome = wait_for(lambda: smtp_server, what="the welcome e-mail")[0]
        path = urlsplit(re.search(r"https?://\S+", welcome.get_content()).group()).path
        _, _, _, uid, secret, _ = path.split("/")

        manager = Visitor(server.url)
        # A form posted without its cookie (a stale tab): Django logs the refusal, path included.
        assert manager.post(path, {})[0] == 403
        status, _, headers = manager.get(path)  # Django moves the token into the session
        assert (status, headers["Location"]) == (302, f"/password/set/{uid}/set-password/")
        assert manager.get(headers["Location"])[0] == 200
        choose = {"new_password1": MANAGER_PASSWORD, "new_password2": MANAGER_PASSWORD}
        assert manager.post(headers["Location"], choose)[0] == 302
        assert manager.get(path)[0] == 200  # used: the page says the link no longer works
    finally:
        server.stop()
    log = server.log_text()

    assert get_user_model().objects.get(username=MANAGER).has_usable_password()
    secrets = {"set-password token": secret, "manager's address": MANAGER, "HR's address": hr.email}
    assert secrets_in(log, secrets) == []
    # Every step is there, recognisable: the app's warning, gunicorn's error log (at debug
    # it names each request) and access log, the referrer included.
    assert f"Forbidden (CSRF cookie not set.): /password/set/{uid}/[token]/" in log
    assert f"[DEBUG] GET /password/set/{uid}/[token]/" in log
    assert f'"POST /password/set/{uid}/[token]/ HTTP/1.1" 403' in log
    assert f'"GET /password/set/{uid}/[token]/ HTTP/1.1" 302' in log
    assert f'"POST /password/set/{uid}/set-password/ HTTP/1.1" 302' in log
    assert f'"{server.url}/password/set/{uid}/[token]/"' in log
