"""What a respondent is shown: the questionnaire of a link, or a message instead.

Every page renders in the respondent's language, given by the caller, under the
organisation's name and logo (surveys.branding), and the questionnaire names the team
it is about.
"""

import functools

from django import forms
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from surveys.answering.form import answer_form_class
from surveys.answering.lookup import questions_for
from surveys.branding import branding_get
from surveys.models import Campaign

QUESTIONNAIRE = "surveys/respond/questionnaire.html"
MESSAGE = "surveys/respond/message.html"
# Where each blank page's CSRF token goes: with the team's name, the only parts two
# blank pages differ in.
CSRF_PLACEHOLDER = "csrf-token-of-this-request"
# Where the team's name goes, so that one blank page serves every team of a campaign.
TEAM_PLACEHOLDER = "team-name-of-this-request"


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


def error_summary(form):
    """The questions a sent-back form asks to fix, in page order, as dicts: `number` (as
    on the page), `label`, `message` (what is missing) and `target`, the id of the field
    a link focuses: a scale's first choice, or the text box. Empty for a valid form."""
    problems = []
    for number, field in enumerate(form, start=1):
        if not field.errors:
            continue
        radios = isinstance(field.field.widget, forms.RadioSelect)
        problems.append(
            {
                "number": number,
                "label": field.label,
                "message": field.errors[0],
                "target": f"{field.auto_id}_0" if radios else field.auto_id,
            }
        )
    return problems


def questionnaire(request, form, link, side, language, status=200):
    """The questionnaire page of a link's team with `form` (blank, or sent back with
    its errors); `link` is what the lookup found (its campaign, team name and the
    branding's version read with it)."""
    campaign = link.campaign
    context = {"form": form, "campaign": campaign, "side": side, "language": language}
    if form.is_bound or campaign.status != Campaign.Status.OPEN:
        context |= {"team_name": link.team_name, "branding": branding_get()}
        with translation.override(language):
            context["problems"] = error_summary(form) if form.is_bound else []
            return render(request, QUESTIONNAIRE, context, status=status)
    # Everything the page shows is in the key (the team's name is put in afterwards), so
    # an edited date or branding shows at once.
    cache_key = (campaign.pk, campaign.created_at, campaign.closes_on, link.branding_version)
    page = _blank_page((*cache_key, side, language), context)
    page = page.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    page = page.replace(TEAM_PLACEHOLDER.encode(), escape(link.team_name).encode())
    return HttpResponse(page)


_BLANK_PAGES: dict[tuple, bytes] = {}


def _blank_page(cache_key, context):
    # Rendered once per process, placeholders in (with the one-statement store:
    # 0.24 → 0.38 × bare in A/B runs, bench/README.md).
    if cache_key not in _BLANK_PAGES:
        if len(_BLANK_PAGES) >= 256:
            _BLANK_PAGES.clear()
        placeholders = {
            "csrf_token": CSRF_PLACEHOLDER,
            "team_name": TEAM_PLACEHOLDER,
            "branding": branding_get(),
        }
        with translation.override(context["language"]):
            page = render_to_string(QUESTIONNAIRE, context | placeholders)
        _BLANK_PAGES[cache_key] = page.encode()
    return _BLANK_PAGES[cache_key]
