"""Storing a submission: one transaction, once per link, rows as the models say."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from surveys.answering import store
from surveys.answering.store import AlreadyAnswered, CampaignNotOpen, response_submit
from surveys.models import Answer, Campaign, CampaignQuestion, Invitation, Response
from surveys.tests.respond_helpers import open_campaign, personal_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return open_campaign(org)


def _question(campaign, kind, side="employee"):
    return campaign.questions.filter(side=side, kind=kind).first()


def submit(campaign, org, invitation, values, language="fr"):
    """An employee's submission through the link of `invitation`."""
    response_submit(
        campaign=campaign,
        team_id=org["team"].pk,
        side="employee",
        language=language,
        channel="link",
        values=values,
        invitation=invitation,
    )


def test_a_submission_is_stored_as_the_models_say(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    nps, likert, comment = (_question(campaign, kind) for kind in ("nps", "likert", "text"))
    submit(campaign, org, invitation, {nps: 9, likert: 0, comment: "Très bien, merci"}, "en")
    response = Response.objects.get(campaign=campaign)
    assert (response.team_id, response.side, response.language, response.channel) == (
        org["team"].pk,
        "employee",
        "en",
        "link",
    )
    assert response.submitted_on == timezone.localdate()
    assert not response.shuffled
    stored = {(answer.question_id, answer.value, answer.text) for answer in response.answers.all()}
    assert stored == {(nps.pk, 9, ""), (likert.pk, 0, ""), (comment.pk, None, "Très bien, merci")}
    # Every id random, the answers' as well as the response's.
    assert all(isinstance(answer.pk, uuid.UUID) for answer in response.answers.all())
    assert len({answer.pk for answer in response.answers.all()}) == 3
    invitation.refresh_from_db()
    assert invitation.used


def test_an_unknown_language_is_stored_as_french(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    submit(campaign, org, invitation, {_question(campaign, "nps"): 7}, language="xx")
    assert Response.objects.get().language == "fr"


def test_a_submission_is_a_handful_of_queries_django_counts(
    campaign, org, django_assert_max_num_queries
):
    invitation, _ = personal_link(campaign, org["team"])
    values = dict.fromkeys(campaign.questions.filter(side="employee", kind="likert"), 4)
    # The link marked used, the response, its answers in one insert (and savepoints).
    with django_assert_max_num_queries(5):
        submit(campaign, org, invitation, values)
    assert Answer.objects.count() == len(values)


def test_a_submission_without_any_answer_is_stored_and_uses_its_link(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    submit(campaign, org, invitation, dict.fromkeys(campaign.questions.filter(side="employee"), ""))
    response = Response.objects.get(campaign=campaign)
    assert response.answers.count() == 0
    invitation.refresh_from_db()
    assert invitation.used


def test_a_used_link_stores_nothing_more(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    nps = _question(campaign, "nps")
    submit(campaign, org, invitation, {nps: 9})
    with pytest.raises(AlreadyAnswered):
        submit(campaign, org, invitation, {nps: 3})
    assert Response.objects.count() == 1
    assert list(Answer.objects.values_list("value", flat=True)) == [9]


@pytest.mark.parametrize("personal", [True, False], ids=["personal link", "public link"])
def test_a_closed_campaign_stores_nothing(campaign, org, personal):
    invitation = personal_link(campaign, org["team"])[0] if personal else None
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignNotOpen):
        response_submit(
            campaign=campaign,
            team_id=org["team"].pk,
            side="employee" if personal else "client",
            language="fr",
            channel="link" if personal else "public",
            values={_question(campaign, "nps"): 9},
            invitation=invitation,
        )
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(used=True).exists()


# --- the restored constraint of Answer.question (migration 0011) ----------------------


def test_deleting_a_question_deletes_its_answers_and_sql_cannot_leave_them_behind(campaign, org):
    """Django cascades; the database refuses a question deleted under answers."""
    invitation, _ = personal_link(campaign, org["team"])
    nps, likert = _question(campaign, "nps"), _question(campaign, "likert")
    submit(campaign, org, invitation, {nps: 9, likert: 4})
    nps.delete()
    assert list(Answer.objects.values_list("question_id", flat=True)) == [likert.pk]

    table = connection.ops.quote_name(CampaignQuestion._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [likert.pk])  # noqa: S608
        connection.check_constraints()  # the constraint is deferred to the commit
    assert CampaignQuestion.objects.filter(pk=likert.pk).exists()


def test_deleting_a_campaign_leaves_no_answer_behind(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    submit(campaign, org, invitation, {_question(campaign, "nps"): 9})
    campaign.delete()
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_answer_to_a_question_that_does_not_exist_stores_nothing(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    ghost = CampaignQuestion(pk=10**9)
    with pytest.raises(IntegrityError):
        submit(campaign, org, invitation, {_question(campaign, "nps"): 9, ghost: 4})
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


# --- the two ways of storing give the same rows (PostgreSQL) ---------------------------


def _rows(response_id):
    response = Response.objects.values().get(pk=response_id)
    answers = Answer.objects.filter(response_id=response_id).order_by("question_id").values()
    return response, list(answers)


@pytest.mark.postgres
@pytest.mark.parametrize("personal", [True, False], ids=["personal link", "public link"])
def test_one_statement_stores_the_rows_the_orm_stores(campaign, org, personal):
    """The PostgreSQL statement and the ORM steps of every other database, given the
    same submission, write the same rows (ids apart) and mark the link alike."""
    nps, likert, comment = (_question(campaign, kind) for kind in ("nps", "likert", "text"))
    values = {nps: 10, likert: 0, comment: "Très bien, merci"}
    stored = {}
    for way in (store._store_in_steps, store._store_in_one_statement):
        invitation = None
        if personal:
            invitation = personal_link(campaign, org["team"], email=f"{way.__name__}@example.org")[
                0
            ]
        response = store._submission_rows(
            campaign=campaign,
            team_id=org["team"].pk,
            side="employee",
            language="en",
            channel="link" if personal else "public",
            values=values,
        )
        assert way(campaign, invitation, *response)
        row, answers = _rows(response[0]["id"])
        stored[way.__name__] = (
            {name: value for name, value in row.items() if name != "id"},
            [
                {name: value for name, value in answer.items() if name not in ("id", "response_id")}
                for answer in answers
            ],
            invitation is None or Invitation.objects.get(pk=invitation.pk).used,
        )
        # Shut gates store nothing, both ways.
        if personal:
            assert not way(
                campaign,
                invitation,
                *store._submission_rows(
                    campaign=campaign,
                    team_id=org["team"].pk,
                    side="employee",
                    language="en",
                    channel="link",
                    values=values,
                ),
            )
    assert stored["_store_in_steps"] == stored["_store_in_one_statement"]
    assert Response.objects.count() == 2
