"""The teams import service: every validation rule, re-imports, all-or-nothing, managers."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from conftest import make_team, make_user
from surveys.import_columns import TEAM_COLUMNS
from surveys.imports import teams_import_apply, teams_import_check
from surveys.models import Team
from surveys.tabular import ImportRefused, read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    # Hashing the cast's passwords with the production hasher costs seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def table(text):
    return read_table(text.encode(), columns=TEAM_COLUMNS, filename="teams.csv")


def problems(text):
    report = teams_import_check(table(text))
    return {row.number: row.problems for row in report.rows if row.problems}


def tree():
    return {team.code: team.parent.code if team.parent else None for team in Team.objects.all()}


def test_a_clean_file_creates_the_tree_with_a_parent_listed_after_its_child():
    text = "code,name,parent\nlyon-desk,Desk,lyon\nlyon,Lyon,\nparis,Paris,\n"
    report = teams_import_apply(table=table(text))
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert tree() == {"lyon": None, "lyon-desk": "lyon", "paris": None}


def test_checking_writes_nothing():
    report = teams_import_check(table("code,name,managers\nlyon,Lyon,new@x.org\n"))
    assert report.ok
    assert [row.action for row in report.rows] == ["create"]
    assert Team.objects.count() == 0
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        ("code,name\n,Lyon\n", 2, "The code is missing."),
        ("code,name\nlyon,\n", 2, "The name is missing."),
        ("code,name\nLyon centre,Lyon\n", 2, "The code “Lyon centre” may only hold letters"),
        ("code,name\n" + "x" * 65 + ",Long\n", 2, "(64 at most)"),
        ("code,name\nlyon,Lyon\nlyon,Lyon bis\n", 3, "The code “lyon” is already on row 2."),
        ("code,name,parent\nlyon,Lyon,nowhere\n", 2, "The parent “nowhere” is neither in the file"),
        ("code,name,parent\nlyon,Lyon,lyon\n", 2, "A team cannot be its own parent."),
        (
            "code,name,managers\nlyon,Lyon,a@x.org;not-an-email\n",
            2,
            "“not-an-email” is not a valid",
        ),
        ("code,name\nlyon," + "L" * 201 + "\n", 2, "longer than 200 characters"),
    ],
)
def test_each_row_problem_is_reported_on_its_row(text, row, message):
    found = problems(text)
    assert list(found) == [row]
    assert any(message in problem for problem in found[row])


def test_every_problem_of_a_row_is_reported_not_just_the_first():
    found = problems("code,name,parent,managers\nkid,,nowhere,bad\n")
    assert found[2] == [
        "The name is missing.",
        "“bad” is not a valid e-mail address.",
        "The parent “nowhere” is neither in the file nor an existing team.",
    ]


def test_a_loop_within_the_file_is_reported_on_each_of_its_rows():
    found = problems("code,name,parent\na,A,c\nb,B,a\nc,C,b\nd,D,\n")
    assert set(found) == {2, 3, 4}
    assert found[2] == ["This would make a loop: a → c → b → a."]


def test_a_loop_through_existing_teams_is_refused(org):
    # lyon-reception is under lyon today: putting lyon under it closes a loop.
    found = problems("code,name,parent\nlyon,Lyon,lyon-reception\n")
    assert found == {2: ["This would make a loop: lyon → lyon-reception → lyon."]}


def test_a_parent_that_exists_in_the_database_is_accepted(org):
    report = teams_import_apply(table=table("code,name,parent\nlyon-bar,Bar,lyon\n"))
    assert report.created == 1
    assert Team.objects.get(code="lyon-bar").parent == org["site"]


def test_an_archived_parent_is_refused_unless_the_file_restores_it(org):
    Team.objects.filter(code="lyon").update(archived=True)
    assert problems("code,name,parent\nlyon-bar,Bar,lyon\n") == {
        2: ["The parent team “lyon” is archived."]
    }
    teams_import_apply(table=table("code,name,parent\nlyon-bar,Bar,lyon\nlyon,Lyon,\n"))
    assert not Team.objects.get(code="lyon").archived


def test_reimporting_updates_teams_by_code_instead_of_duplicating(org):
    text = (
        "code,name,parent\n"
        "lyon,Lyon Part-Dieu,\nlyon-kitchen,Cuisine,\nlyon-reception,Réception,lyon\n"
    )
    report = teams_import_check(table(text))
    assert [row.action for row in report.rows] == ["update", "update", "unchanged"]
    assert report.rows[0].changes == ["name: Lyon → Lyon Part-Dieu"]
    assert report.rows[1].changes == ["parent: lyon → —"]
    teams_import_apply(table=table(text))
    assert Team.objects.count() == 3
    assert Team.objects.get(code="lyon").name == "Lyon Part-Dieu"
    assert Team.objects.get(code="lyon-kitchen").parent is None


def test_the_managers_column_sets_exactly_the_listed_managers(org):
    make_user("ines@example.org")
    report = teams_import_apply(
        table=table(
            "code,name,managers\nlyon-reception,Réception,INES@example.org marc@example.org\n"
        )
    )
    assert report.rows[0].changes == ["managers: +ines@example.org"]
    managers = set(org["team"].managers.values_list("username", flat=True))
    assert managers == {"ines@example.org", "marc@example.org"}
    assert report.accounts == 0


def test_without_a_managers_or_parent_column_managers_and_parents_stay(org):
    report = teams_import_apply(table=table("code,name\nlyon-reception,Accueil\n"))
    assert report.rows[0].changes == ["name: Réception → Accueil"]
    assert list(org["team"].managers.all()) == [org["manager"]]
    assert Team.objects.get(code="lyon-reception").parent == org["site"]


def test_an_unknown_manager_gets_an_account_without_a_usable_password():
    report = teams_import_apply(table=table("code,name,managers\nlyon,Lyon,Nina@X.org\n"))
    nina = get_user_model().objects.get(username="nina@x.org")
    assert nina.email == "nina@x.org"
    assert not nina.has_usable_password()
    assert list(nina.managed_teams.all()) == [Team.objects.get(code="lyon")]
    assert report.accounts == 1


def test_a_file_with_any_problem_writes_nothing_at_all():
    text = "code,name,managers\nlyon,Lyon,new@x.org\nparis,,\n"
    with pytest.raises(ImportRefused) as refused:
        teams_import_apply(table=table(text))
    assert [row.number for row in refused.value.report.problem_rows] == [3]
    assert Team.objects.count() == 0
    assert not get_user_model().objects.exists()


def test_an_archived_team_named_in_the_file_is_restored(org):
    make_team("old", name="Old")
    Team.objects.filter(code="old").update(archived=True)
    report = teams_import_apply(table=table("code,name\nold,Old\n"))
    assert report.rows[0].changes == ["restored from the archive"]
    assert not Team.objects.get(code="old").archived
