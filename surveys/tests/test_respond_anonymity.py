"""From the database alone, no response can be joined to an invitation or a person."""

import pytest
from django.db import connection, models

from surveys.answering.traces import invitations_unlink
from surveys.models import Answer, Invitation, Response
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link


def test_a_response_has_no_link_no_time_and_no_ordered_id():
    fields = {field.name: field for field in Response._meta.get_fields()}
    related = {name for name, field in fields.items() if field.is_relation and field.many_to_one}
    assert related == {"campaign", "team"}
    assert not any(isinstance(f, models.DateTimeField | models.TimeField) for f in fields.values())
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)
    assert not {"invitation", "person", "email", "ip", "user_agent"} & set(fields)


def test_an_invitation_keeps_no_date_or_time_of_use():
    """A response has a date: a date of use on the invitation would match it."""
    stamps = [
        field.name
        for field in Invitation._meta.get_fields()
        if isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
    ]
    assert stamps == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_row_version_ties_a_response_to_its_invitation(client, org):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin)."""
    campaign = open_campaign(org)
    for number in range(3):
        _, token = personal_link(campaign, org["team"], email=f"p{number}@example.org")
        client.post(f"/r/{token}/", full_answers(campaign, "employee"))

    invitations_unlink()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_invitation i ON r.xmin = i.xmin"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT count(*) FROM surveys_answer a JOIN surveys_invitation i ON a.xmin = i.xmin"
        )
        assert cursor.fetchone() == (0,)
    assert Response.objects.count() == 3
