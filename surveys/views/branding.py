"""HR's branding screen (organisation, logo, sender, e-mail texts, with a preview of the
e-mails), and the logo as every page and e-mail fetches it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from surveys.branding import branding_get, branding_update, logo_png
from surveys.emails import message_compose
from surveys.forms.branding import BrandingForm
from surveys.models import Campaign, Language, Side, Team
from symetrie.roles import require_hr

# The logo at its current version's address never changes: a year in every cache.
LOGO_MAX_AGE = 365 * 24 * 3600


@login_required
def branding_edit(request):
    require_hr(request.user)
    branding = branding_get()
    form = BrandingForm(request.POST or None, request.FILES or None, instance=branding)
    previewed = branding
    if form.is_valid():
        if "save" in request.POST:
            branding_update(
                user=request.user,
                logo=form.logo_png,
                remove_logo=form.cleaned_data["remove_logo"],
                **form.texts(),
            )
            messages.success(request, _("The branding and texts are saved."))
            return redirect("surveys:branding")
        previewed = form.save(commit=False)  # the posted texts, unsaved, for the preview
    context = {"form": form, "branding": branding, "previews": _previews(previewed)}
    return render(request, "surveys/branding/edit.html", context)


def _previews(branding):
    """The invitation and the reminder in each language, as an employee gets them."""
    previews = []
    for language, label in Language.choices:
        context = {
            "campaign": Campaign(
                name=gettext_lazy("Example campaign"),
                closes_on=timezone.localdate() + datetime.timedelta(days=14),
            ),
            "team": Team(name=gettext_lazy("Example team")),
            "side": Side.EMPLOYEE,
            "name": "Camille",
            "url": "https://…/r/…/",
        }
        for reminder in (False, True):
            message = message_compose(
                context,
                to="camille@example.org",
                language=language,
                reminder=reminder,
                branding=branding,
            )
            previews.append(
                {"language": label, "code": language, "reminder": reminder, "message": message}
            )
    return previews


@require_GET
def branding_logo(request):
    """The logo as a PNG re-encoded at upload; 404 when there is none.

    Public (respondents' pages and e-mails show it) and cacheable: its address carries
    the branding's version, so a new logo is a new address.
    """
    found = logo_png()
    if found is None:
        raise Http404
    png, version = found
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Content-Disposition"] = 'inline; filename="logo.png"'
    current = request.GET.get("v") == str(version)
    patch_cache_control(response, public=True, max_age=LOGO_MAX_AGE if current else 300)
    if current:
        patch_cache_control(response, immutable=True)
    return response


urlpatterns = [path("branding/", branding_edit, name="branding")]
