"""The invitation table keeps the indexes its queries use and no other (migration 0010):
a link's hash stays unique, and is found by its index; the campaign alone has no index
of its own (the (campaign, person) constraint starts with it) and, on PostgreSQL, the
hash has no LIKE-pattern index."""

import pytest
from django.db import IntegrityError, connection, transaction

from surveys.models import Invitation, hash_token
from surveys.tests.respond_helpers import open_campaign


def _invitation(campaign, team, number, token_hash=None):
    return Invitation.objects.create(
        campaign=campaign,
        email=f"person-{number}@example.org",
        side="employee",
        team=team,
        token_hash=token_hash,
    )


def _indexes():
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Invitation._meta.db_table)


def test_two_invitations_cannot_share_a_link(org):
    campaign = open_campaign(org)
    _invitation(campaign, org["team"], 1, hash_token("the-link"))
    with pytest.raises(IntegrityError), transaction.atomic():
        _invitation(campaign, org["team"], 2, hash_token("the-link"))


def test_invitations_without_a_link_may_be_many(org):
    campaign = open_campaign(org)
    _invitation(campaign, org["team"], 1)
    _invitation(campaign, org["team"], 2)
    assert Invitation.objects.filter(token_hash=None).count() == 2


def test_the_link_hash_is_unique_and_the_campaign_has_no_index_of_its_own(db):
    columns = [c["columns"] for c in _indexes().values() if c["index"] or c["unique"]]
    assert ["token_hash"] in columns
    assert ["campaign_id", "person_id"] in columns
    assert ["campaign_id"] not in columns


@pytest.mark.postgres
def test_the_link_hash_has_no_like_pattern_index_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [Invitation._meta.db_table],
        )
        definitions = dict(cursor.fetchall())
    assert not [name for name, sql in definitions.items() if "pattern_ops" in sql]
    assert any("(token_hash)" in sql and "UNIQUE" in sql for sql in definitions.values())
