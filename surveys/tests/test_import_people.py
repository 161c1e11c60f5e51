"""The people import service: each validation rule, French side names, re-imports, all or none."""

import pytest
from django.utils import translation

from conftest import make_team
from surveys.import_columns import PEOPLE_COLUMNS
from surveys.imports import people_import_apply, people_import_check
from surveys.models import Person, Team
from surveys.tabular import ImportRefused, read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def teams(db):
    make_team("lyon", name="Lyon")
    make_team("paris", name="Paris")


def table(text):
    return read_table(text.encode(), columns=PEOPLE_COLUMNS, filename="people.csv")


def problems(text):
    report = people_import_check(table(text))
    return {row.number: row.problems for row in report.rows if row.problems}


def people():
    return {
        (p.side, p.email): (p.team.code, p.name, p.language)
        for p in Person.objects.select_related("team")
    }


def test_a_clean_file_creates_people_on_both_sides_in_french_by_default(teams):
    text = (
        "email;side;team;name;language\n"
        "Lea@X.org;Salarié;lyon;Léa;\n"
        "tom@x.org;CLIENT;paris;;en\n"
        "lea@x.org;client;paris;;\n"
        "max@x.org;salarie;lyon;;FR\n"
        "eve@x.org;employee;paris;;\n"
    )
    report = people_import_apply(table=table(text))
    assert report.created == 5
    assert people() == {
        ("employee", "lea@x.org"): ("lyon", "Léa", "fr"),
        ("client", "tom@x.org"): ("paris", "", "en"),
        ("client", "lea@x.org"): ("paris", "", "fr"),
        ("employee", "max@x.org"): ("lyon", "", "fr"),
        ("employee", "eve@x.org"): ("paris", "", "fr"),
    }


def test_checking_writes_nothing(teams):
    report = people_import_check(table("email,side,team\nlea@x.org,employee,lyon\n"))
    assert report.ok and report.created == 1
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (",employee,lyon", "The e-mail is missing."),
        ("lea@,employee,lyon", "“lea@” is not a valid e-mail address."),
        ("lea@x.org,,lyon", "The side is missing."),
        (
            "lea@x.org,manager,lyon",
            "Unknown side “manager”: write employee (or salarié) or client.",
        ),
        ("lea@x.org,employee,", "The team is missing."),
        ("lea@x.org,employee,nowhere", "Unknown team “nowhere”."),
        ("lea@x.org,employee,lyon,,de", "Unknown language “de”: write fr or en."),
    ],
)
def test_each_row_problem_is_reported_on_its_row(teams, line, message):
    found = problems(f"email,side,team,name,language\nok@x.org,client,lyon,,\n{line}\n")
    assert found == {3: [message]}


def test_an_archived_team_is_refused(teams):
    Team.objects.filter(code="paris").update(archived=True)
    assert problems("email,side,team\nlea@x.org,employee,paris\n") == {
        2: ["The team “paris” is archived."]
    }


def test_the_same_email_twice_on_one_side_is_a_duplicate_but_on_two_sides_is_fine(teams):
    found = problems(
        "email,side,team\nlea@x.org,employee,lyon\nlea@x.org,client,lyon\nLEA@x.org,salarié,paris\n"
    )
    assert found == {4: ["lea@x.org (Employees) is already on row 2."]}


def test_reimporting_updates_people_by_side_and_email_instead_of_duplicating(teams):
    people_import_apply(
        table=table("email,side,team,name,language\nlea@x.org,employee,lyon,Léa,en\n")
    )
    text = "email,side,team,name,language\nLEA@x.org,salarié,paris,,\ntom@x.org,client,lyon,,\n"
    report = people_import_check(table(text))
    assert [row.action for row in report.rows] == ["update", "create"]
    assert report.rows[0].changes == ["team: lyon → paris"]
    people_import_apply(table=table(text))
    # An empty name or language keeps what was known.
    assert people() == {
        ("employee", "lea@x.org"): ("paris", "Léa", "en"),
        ("client", "tom@x.org"): ("lyon", "", "fr"),
    }


def test_an_identical_reimport_changes_nothing(teams):
    text = "email,side,team\nlea@x.org,employee,lyon\n"
    people_import_apply(table=table(text))
    report = people_import_apply(table=table(text))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Person.objects.count() == 1


def test_a_file_with_any_problem_writes_nothing_at_all(teams):
    with pytest.raises(ImportRefused):
        people_import_apply(
            table=table("email,side,team\nlea@x.org,employee,lyon\nbad,client,lyon\n")
        )
    assert not Person.objects.exists()


def test_apply_checks_again_against_the_database_of_the_moment(teams):
    text = "email,side,team\nlea@x.org,employee,lyon\n"
    assert people_import_check(table(text)).ok
    Team.objects.filter(code="lyon").update(archived=True)
    with pytest.raises(ImportRefused) as refused:
        people_import_apply(table=table(text))
    assert refused.value.report.rows[0].problems == ["The team “lyon” is archived."]
    assert not Person.objects.exists()
