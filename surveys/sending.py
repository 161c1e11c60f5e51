"""Sending invitations and reminders: queued by id, each e-mail composed as it leaves.

The raw token of a personal link exists only in the e-mail: the sending task receives
invitation ids, and for each one derives the token from the invitation's random link
key and SECRET_KEY (surveys.links), stores its hash and sends the e-mail in one
transaction. So the token never reaches the database, the broker, a log or a task
argument, and every e-mail of one invitation carries the same link.
"""

import logging
from functools import partial
from itertools import batched
from smtplib import SMTPRecipientsRefused

from django.core.mail import mailers
from django.db import transaction
from django.db.models import Q

from surveys.branding import branding_get
from surveys.emails import invitation_message
from surveys.links import invitation_token
from surveys.models import Campaign, Invitation
from symetrie.jobs import job_enqueue

logger = logging.getLogger(__name__)

# Invitations per sending task: small enough that a retry redoes little.
SEND_BATCH = 200


def enqueue_invitations(invitations):
    """Queue the invitation e-mails of `invitations` for after the commit; return how many."""
    return _enqueue(invitations, "surveys.tasks.invitations_send")


def enqueue_reminders(invitations, reminder_round):
    """Queue reminder `reminder_round` to `invitations` for after the commit; return how many."""
    return _enqueue(invitations, "surveys.tasks.reminders_send", reminder_round)


def _enqueue(invitations, task_name, *args):
    ids = list(invitations.order_by("id").values_list("id", flat=True))
    for batch in batched(ids, SEND_BATCH):
        # robust: a broker or mail server that is down must not undo the step that
        # queued the e-mails; the calendar task queues what is left again.
        queue = partial(job_enqueue, task_name, args=[list(batch), *args])
        transaction.on_commit(queue, robust=True)
    return len(ids)


def invitations_send(*, invitation_ids):
    """Send the invitation e-mail of each listed invitation that has had none; return how many.

    For each one, in one transaction under a row lock: derive its token, store its hash,
    send the e-mail. A retried or duplicated batch therefore sends only what is still
    unsent, and two workers never send the same e-mail. An address the mail server
    refuses is skipped (left unsent); a server that cannot be reached raises, for the
    task to retry.
    """
    return _deliver_all(invitation_ids, Q(sent_count=0), reminder_round=None)


def reminders_send(*, invitation_ids, reminder_round):
    """Send reminder number `reminder_round` to the listed invitations still unanswered.

    Same guarantees as `invitations_send`; the reminder carries the invitation's own
    link, which keeps working. Returns how many e-mails left.
    """
    due = Q(used=False, sent_count__gt=0, reminded_count__lt=reminder_round)
    return _deliver_all(invitation_ids, due, reminder_round=reminder_round)


def _deliver_all(invitation_ids, due, *, reminder_round):
    due &= Q(campaign__status=Campaign.Status.OPEN) & ~Q(email="")
    pending = list(
        Invitation.objects.filter(due, id__in=invitation_ids)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not pending:
        return 0
    sent = 0
    branding = branding_get()  # once a batch: its sender and texts
    with mailers.default as connection:  # one SMTP session for the batch
        for invitation_id in pending:
            try:
                sent += _deliver(connection, invitation_id, due, reminder_round, branding)
            except SMTPRecipientsRefused:
                logger.warning(
                    "The mail server refused the address of invitation %s", invitation_id
                )
    return sent


def _deliver(connection, invitation_id, due, reminder_round, branding):
    with transaction.atomic():
        invitation = (
            # skip_locked: another worker is sending this one; of=self: lock the row only.
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("campaign", "team", "person")
            .filter(due, id=invitation_id)
            .first()
        )
        if invitation is None:
            return 0
        token = invitation_token(invitation)  # the same link in every e-mail
        if reminder_round is None:
            invitation.sent_count += 1
            # A late invitation needs none of the reminders sent before it.
            invitation.reminded_count = invitation.campaign.reminders_sent
        else:
            # The round number, so a person gets at most one e-mail per round.
            invitation.reminded_count = reminder_round
        invitation.save(update_fields=["link_key", "token_hash", "sent_count", "reminded_count"])
        # Sent inside the transaction: if it fails, the key, hash and count roll back.
        message = invitation_message(
            invitation=invitation,
            token=token,
            reminder=reminder_round is not None,
            branding=branding,
        )
        connection.send_messages([message])
    return 1
