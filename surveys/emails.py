"""The e-mails respondents receive: invitation and reminder, in the person's language.

Composed at the moment of sending, because the raw token they carry exists nowhere else.
They come from the branding's sender, open with HR's text and are signed with the
organisation's name (surveys.branding).
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from surveys import branding as brand
from surveys.links import invitation_url
from surveys.models import Invitation, Language

# The token of the test e-mails' link: no invitation has it, so the link opens nothing.
SAMPLE_TOKEN = "exemple"  # noqa: S105 (a placeholder, not a secret)


def invitation_message(*, invitation, token, reminder=False, branding=None):
    """Return the invitation (or reminder) for `invitation`, carrying the personal link of `token`.

    Text and HTML parts, subject and close date in the invitation's language. The
    invitation needs its campaign and team loaded; `branding` (read when not given)
    lets a batch read it once.
    """
    branding = branding or brand.branding_get()
    context = {
        "campaign": invitation.campaign,
        "team": invitation.team,
        "side": invitation.side,
        "name": invitation.person.name if invitation.person_id else "",
        "url": invitation_url(token),
    }
    return message_compose(
        context,
        to=invitation.email,
        language=invitation.language,
        reminder=reminder,
        branding=branding,
    )


def message_compose(context, *, to, language, reminder, branding):
    """The e-mail of `context` (campaign, team, side, name, url) in `language`, branded."""
    kind = "reminder" if reminder else "invitation"
    context = context | {
        "branding": branding,
        "intro": brand.intro(branding, reminder=reminder, language=language),
        "signature": brand.signature(branding),
        "logo_url": brand.logo_url(branding),
    }
    with translation.override(language):
        if reminder:
            subject = gettext("Reminder: %(campaign)s, your opinion is still welcome")
        else:
            subject = gettext("%(campaign)s: your opinion counts")
        message = EmailMultiAlternatives(
            subject=subject % {"campaign": context["campaign"].name},
            body=render_to_string(f"emails/{kind}.txt", context),
            from_email=brand.sender(branding),
            to=[to],
            headers={"Content-Language": language},
        )
        message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    return message


def sample_messages(*, campaign, side, to):
    """The invitation and the reminder of `campaign` for `side`, in each language, all to
    `to`: what HR checks before launching. Subjects start with "[Test]" (in the message's
    language) and the link is an example (SAMPLE_TOKEN) that opens no questionnaire."""
    team = campaign.teams.order_by("name").first()
    messages = []
    for language in Language.values:
        invitation = Invitation(
            campaign=campaign, team=team, side=side, language=language, email=to
        )
        for reminder in (False, True):
            message = invitation_message(
                invitation=invitation, token=SAMPLE_TOKEN, reminder=reminder
            )
            with translation.override(language):
                message.subject = gettext("[Test] %(subject)s") % {"subject": message.subject}
            messages.append(message)
    return messages
