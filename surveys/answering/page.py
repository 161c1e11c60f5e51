"""What a respondent is shown: the questionnaire of a link, or a message instead.

Every page renders in the respondent's language, given by the caller, under the
organisation's name and logo (surveys.branding), and the questionnaire names the team
it is about.
"""

import functools

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from surveys.answering.form import answer_form_class
from surveys.answering.lookup import questions_for
from surveys.branding import branding_get, team_name_and_branding_version
from surveys.models import Campaign

QUESTIONNAIRE = "surveys/respond/questionnaire.html"
MESSAGE = "surveys/respond/message.html"
# Where each blank page's CSRF token goes: the only part two blank pages differ in.
CSRF_PLACEHOLDER = "csrf-token-of-this-request"
# Where the team's name goes, so that one blank page serves every team of a campaign.
TEAM_PLACEHOLDER = b"team-name-of-this-request"


def message(request, kind, language, status, campaign=None):
    """The page of one message kind (thanks, invalid, already, closed…) with its status."""
    with translation.override(language):
        context = {
            "kind": kind,
            "campaign": campaign,
            "language": language,
            "branding": branding_get(),
        }
        return render(request, MESSAGE, context, status=status)


def unavailable(request, campaign, language):
    """The page for a campaign that is not taking answers, or None when it is."""
    if campaign.status == Campaign.Status.OPEN:
        return None
    if campaign.status == Campaign.Status.CLOSED:
        return message(request, "closed", language, 410, campaign)
    return message(request, "not_open", language, 200, campaign)


def form_class_for(campaign, side, language):
    """The answering form class of a campaign's side, in one language."""
    if campaign.status != Campaign.Status.OPEN:
        return answer_form_class(questions_for(campaign, side), language)
    # An open campaign's questions are frozen: one class per process, side and language
    # (grouped A/B with the blank pages below, 0.11 → 0.24 × bare in A/B runs,
    # bench/README.md).
    return _open_form_class(campaign.pk, campaign.created_at, side, language)


@functools.lru_cache(maxsize=256)
def _open_form_class(campaign_id, created_at, side, language):
    # created_at tells apart two campaigns that had the same id in turn (a restore).
    campaign = Campaign(pk=campaign_id, created_at=created_at)
    return answer_form_class(questions_for(campaign, side), language)


def questionnaire(request, form, campaign, side, language, team_id, status=200):
    """The questionnaire page of a team with `form` (blank, or sent back with its errors)."""
    team_name, branding_version = team_name_and_branding_version(team_id)
    context = {"form": form, "campaign": campaign, "side": side, "language": language}
    if form.is_bound or campaign.status != Campaign.Status.OPEN:
        context |= {"team_name": team_name, "branding": branding_get()}
        with translation.override(language):
            return render(request, QUESTIONNAIRE, context, status=status)
    # Everything the page shows is in the key (the team's name is put in afterwards), so
    # an edited date or branding shows at once.
    key = (campaign.pk, campaign.created_at, campaign.closes_on, side, language, branding_version)
    page = get_token(request).encode().join(_blank_page(key, context))
    return HttpResponse(page.replace(TEAM_PLACEHOLDER, escape(team_name).encode()))


_BLANK_PAGES: dict[tuple, list[bytes]] = {}


def _blank_page(key, context):
    # Rendered once per process as the bytes around its CSRF token (with the one-statement
    # store: 0.24 → 0.38 × bare in A/B runs, bench/README.md).
    if key not in _BLANK_PAGES:
        if len(_BLANK_PAGES) >= 256:
            _BLANK_PAGES.clear()
        with translation.override(context["language"]):
            blank = {
                "csrf_token": CSRF_PLACEHOLDER,
                "team_name": TEAM_PLACEHOLDER.decode(),
                "branding": branding_get(),
            }
            page = render_to_string(QUESTIONNAIRE, context | blank)
        _BLANK_PAGES[key] = page.encode().split(CSRF_PLACEHOLDER.encode())
    return _BLANK_PAGES[key]
