"""What employees and clients see: the questionnaire of a personal or public link.

No login. Every page renders in the respondent's language (the invitation's, the
browser's for public links, or the one chosen with ?lang=). Links that do not work
all look alike, so nothing tells which links exist.
"""

import functools
import logging

from django.conf import settings
from django.core.signing import BadSignature
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django_ratelimit.core import is_ratelimited

from surveys.forms.respond import answer_form_class
from surveys.models import Campaign, Language, Response
from surveys.responding import (
    AlreadyAnswered,
    CampaignNotOpen,
    invitation_for,
    public_link_for,
    questions_for,
    response_submit,
    response_submit_by_link,
)

log = logging.getLogger(__name__)
ANSWERED_COOKIE = "symetrie_answered"


def _language(request, default):
    if not request.META.get("QUERY_STRING"):
        return default  # the usual visit: no need to parse an empty query string
    chosen = request.GET.get("lang")
    return chosen if chosen in Language.values else default


# What Django's never_cache sends, written once: formatting the current date for
# Expires on each visit cost more than the rest of the headers. A date in the past
# means the same thing to a browser or a proxy: already stale.
NOT_STORED = {
    "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
    "Expires": "Thu, 01 Jan 1970 00:00:00 GMT",
}


def _not_stored(view):
    """never_cache for the answering pages (their link and CSRF token are private)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        for name, value in NOT_STORED.items():
            response.headers[name] = value
        return response

    return wrapper


def _message(request, kind, language, status, campaign=None):
    with translation.override(language):
        return render(
            request,
            "surveys/respond/message.html",
            {"kind": kind, "campaign": campaign, "language": language},
            status=status,
        )


def _unavailable(request, campaign, language):
    """The page for a campaign that is not taking answers, or None when it is."""
    if campaign.status == Campaign.Status.OPEN:
        return None
    if campaign.status == Campaign.Status.CLOSED:
        return _message(request, "closed", language, 410, campaign)
    return _message(request, "not_open", language, 200, campaign)


def _thanks(language):
    return HttpResponseRedirect(_thanks_url(get_script_prefix(), language))


@functools.cache
def _thanks_url(prefix, language):  # the script prefix: reverse() depends on it
    return f"{reverse('respond_thanks')}?lang={language}"


def _questionnaire(request, *, campaign, team_id, side, language, channel, invitation=None):
    """Show the form; on a valid post store the response and return None (the caller
    sends to the thank-you page)."""
    form_class = _form_class(campaign, side, language)
    if request.method != "POST":
        return _blank_page(request, form_class, campaign, side, language)
    with translation.override(language):
        form = form_class(request.POST)
        if form.is_valid():
            response_submit(
                campaign=campaign,
                team_id=team_id,
                side=side,
                language=language,
                channel=channel,
                values=form.values(),
                invitation=invitation,
            )
            return None
        return render(request, QUESTIONNAIRE, _context(form, campaign, side, language), status=400)


QUESTIONNAIRE = "surveys/respond/questionnaire.html"
# An open campaign's questions are frozen, so its form class, and its blank page in
# each side and language, are the same for every respondent: one process builds them
# once, the page as the bytes around its CSRF token, the only part that differs
# between two blank pages.
_FORM_CLASSES = {}
_BLANK_PAGES = {}
CSRF_PLACEHOLDER = "csrf-token-of-this-request"
PROCESS_MEMO_SIZE = 256


def _remembered(memo, key, make):
    if key not in memo:
        if len(memo) >= PROCESS_MEMO_SIZE:
            memo.clear()
        memo[key] = make()
    return memo[key]


def _page_key(campaign, side, language):
    """Names a campaign's questionnaire in one side and language: the key of its form
    class in this process, sent back by the page in a hidden field (see
    _submitted_from_known_page). The creation time tells apart two campaigns that had
    the same id in turn (a database restored, or tests)."""
    return f"{campaign.pk}-{campaign.created_at.timestamp():.6f}-{side}-{language}"


def _form_class(campaign, side, language):
    def make():
        form_class = answer_form_class(questions_for(campaign, side), language)
        form_class.page = (campaign.pk, side, language)
        return form_class

    if campaign.status != Campaign.Status.OPEN:
        return make()
    return _remembered(_FORM_CLASSES, _page_key(campaign, side, language), make)


def _context(form, campaign, side, language):
    return {
        "form": form,
        "campaign": campaign,
        "side": side,
        "language": language,
        "page_key": _page_key(campaign, side, language),
    }


def _blank_page(request, form_class, campaign, side, language):
    def make():
        context = _context(form_class(), campaign, side, language)
        with translation.override(language):
            page = render_to_string(QUESTIONNAIRE, context | {"csrf_token": CSRF_PLACEHOLDER})
        return page.encode().split(CSRF_PLACEHOLDER.encode())

    if campaign.status != Campaign.Status.OPEN:
        with translation.override(language):
            context = _context(form_class(), campaign, side, language)
            return render(request, QUESTIONNAIRE, context)
    # Everything the page shows is in the key, so an edited name or date shows at once.
    key = (campaign.pk, campaign.created_at, campaign.name, campaign.closes_on, side, language)
    pieces = _remembered(_BLANK_PAGES, key, make)
    return HttpResponse(get_token(request).encode().join(pieces))


def _submitted_from_known_page(request, token):
    """The thank-you page for a valid answer to a questionnaire this process knows,
    stored without looking the link up first; None otherwise.

    The page's hidden key finds the form class among those this process built (an
    unknown or altered key finds none), and the storing statement checks that the
    link is of that campaign and side, unused and the campaign open. Whenever
    something is not so (an error in the form, a used link, a closed campaign), the
    caller takes the usual way, which looks the link up and says what is wrong.
    """
    form_class = _FORM_CLASSES.get(request.POST.get("page"))
    if form_class is None:
        return None
    campaign_id, side, language = form_class.page
    form = form_class(request.POST)
    if not form.is_valid():
        return None
    stored = response_submit_by_link(
        token=token,
        campaign_id=campaign_id,
        side=side,
        language=language,
        values=form.values(),
    )
    return _thanks(language) if stored else None


@_not_stored
def personal(request, token):
    if request.method == "POST" and (page := _submitted_from_known_page(request, token)):
        return page
    invitation = invitation_for(token)
    if invitation is None:
        return _message(request, "invalid", _language(request, request.LANGUAGE_CODE), 404)
    language = _language(request, invitation.language)
    campaign = invitation.campaign
    if (page := _unavailable(request, campaign, language)) is not None:
        return page
    if invitation.used:
        return _message(request, "already", language, 200, campaign)
    try:
        page = _questionnaire(
            request,
            campaign=campaign,
            team_id=invitation.team_id,
            side=invitation.side,
            language=language,
            channel=Response.Channel.LINK,
            invitation=invitation,
        )
    except AlreadyAnswered:
        return _message(request, "already", language, 200, campaign)
    except CampaignNotOpen:
        return _message(request, "closed", language, 410, campaign)
    return page or _thanks(language)


def _answered_links(request):
    try:
        raw = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=ANSWERED_COOKIE)
    except BadSignature:
        return set()
    return set(filter(None, raw.split(",")))


def _over_rate_limit(request):
    """True when this address posted too many public answers lately.

    The counter lives in the shared cache under a hash of the address (nothing is
    stored about the address itself). When the cache is down the answer is let in:
    losing an answer is worse than letting a few extra through.
    """
    try:
        return is_ratelimited(
            request,
            group="public-answer",
            key="ip",
            rate=settings.PUBLIC_ANSWER_RATE,
            method="POST",
            increment=True,
        )
    except Exception:
        log.warning("Rate limit unavailable (cache down): answer let through", exc_info=True)
        return False


@_not_stored
def public(request, token):
    link = public_link_for(token)
    default = _language(request, request.LANGUAGE_CODE)
    if link is None or not link.campaign.ask_clients:
        return _message(request, "invalid", default, 404)
    language, campaign = default, link.campaign
    if (page := _unavailable(request, campaign, language)) is not None:
        return page
    if str(link.pk) in _answered_links(request):
        return _message(request, "already_here", language, 200, campaign)
    if request.method == "POST" and _over_rate_limit(request):
        return _message(request, "too_many", language, 429, campaign)
    try:
        page = _questionnaire(
            request,
            campaign=campaign,
            team_id=link.team_id,
            side="client",
            language=language,
            channel=Response.Channel.PUBLIC,
        )
    except CampaignNotOpen:
        return _message(request, "closed", language, 410, campaign)
    if page is not None:
        return page
    response = _thanks(language)
    answered = sorted(_answered_links(request) | {str(link.pk)})
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(answered[-50:]),
        salt=ANSWERED_COOKIE,
        max_age=180 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def thanks(request):
    language = _language(request, request.LANGUAGE_CODE)
    with translation.override(language):
        return render(
            request,
            "surveys/respond/message.html",
            {"kind": "thanks", "language": language},
        )


def privacy(request):
    language = _language(request, request.LANGUAGE_CODE)
    with translation.override(language):
        return render(
            request,
            "surveys/respond/privacy.html",
            {
                "language": language,
                "retention_days": settings.RETENTION_DAYS,
                "scores": Campaign._meta.get_field("score_threshold").default,
                "comments": Campaign._meta.get_field("comment_threshold").default,
            },
        )
