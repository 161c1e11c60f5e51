"""The respondents' URLs: a personal link, a team's public link, thanks and privacy.

No login. A personal link's page is in the invitation's language, a public link's in
the browser's, unless ?lang= chooses. Links that do not work all look alike, so
nothing tells which links exist.
"""

import logging

from django.conf import settings
from django.core.signing import BadSignature
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from surveys.answering.lookup import invitation_for, public_link_for
from surveys.answering.page import form_class_for, message, questionnaire, unavailable
from surveys.answering.store import AlreadyAnswered, CampaignNotOpen, response_submit
from surveys.branding import branding_get
from surveys.models import Campaign, Language, Response

log = logging.getLogger(__name__)
ANSWERED_COOKIE = "symetrie_answered"


def _language(request, default):
    chosen = request.GET.get("lang")
    return chosen if chosen in Language.values else default


def _thanks(language):
    return HttpResponseRedirect(f"{reverse('respond_thanks')}?lang={language}")


def _answer(request, *, link, side, language, channel, invitation=None):
    """The form of a link (an invitation or a public link, as the lookup found it), or
    on a valid post the response stored and None (the caller then sends to the
    thank-you page). Raises what response_submit raises."""
    campaign, team_id = link.campaign, link.team_id
    form_class = form_class_for(campaign, side, language)
    if request.method != "POST":
        return questionnaire(request, form_class(), link, side, language)
    with translation.override(language):
        form = form_class(request.POST)
        valid = form.is_valid()
    if not valid:
        return questionnaire(request, form, link, side, language, status=400)
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


@never_cache  # the page carries the link's CSRF token and answers
def personal(request, token):
    invitation = invitation_for(token)
    if invitation is None:
        return message(request, "invalid", _language(request, request.LANGUAGE_CODE), 404)
    language = _language(request, invitation.language)
    campaign = invitation.campaign
    if (page := unavailable(request, campaign, language)) is not None:
        return page
    if invitation.used:
        return message(request, "already", language, 200, campaign)
    try:
        page = _answer(
            request,
            link=invitation,
            side=invitation.side,
            language=language,
            channel=Response.Channel.LINK,
            invitation=invitation,
        )
    except AlreadyAnswered:
        return message(request, "already", language, 200, campaign)
    except CampaignNotOpen:
        return message(request, "closed", language, 410, campaign)
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


@never_cache
def public(request, token):
    link = public_link_for(token)
    language = _language(request, request.LANGUAGE_CODE)
    if link is None or not link.campaign.ask_clients:
        return message(request, "invalid", language, 404)
    campaign = link.campaign
    if (page := unavailable(request, campaign, language)) is not None:
        return page
    answered = _answered_links(request)
    if str(link.pk) in answered:
        return message(request, "already_here", language, 200, campaign)
    if request.method == "POST" and _over_rate_limit(request):
        return message(request, "too_many", language, 429, campaign)
    try:
        page = _answer(
            request,
            link=link,
            side="client",
            language=language,
            channel=Response.Channel.PUBLIC,
        )
    except CampaignNotOpen:
        return message(request, "closed", language, 410, campaign)
    if page is not None:
        return page
    response = _thanks(language)
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(sorted(answered | {str(link.pk)})[-50:]),
        salt=ANSWERED_COOKIE,
        max_age=180 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def thanks(request):
    return message(request, "thanks", _language(request, request.LANGUAGE_CODE), 200)


def privacy(request):
    language = _language(request, request.LANGUAGE_CODE)
    with translation.override(language):
        return render(
            request,
            "surveys/respond/privacy.html",
            {
                "language": language,
                "branding": branding_get(),
                "retention_days": settings.RETENTION_DAYS,
                "scores": Campaign._meta.get_field("score_threshold").default,
                "comments": Campaign._meta.get_field("comment_threshold").default,
            },
        )
