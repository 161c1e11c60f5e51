"""`manage.py import_teams FILE` and `import_people FILE`: same checks, per-row report, exit 1."""

import io

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from surveys.models import Person, Team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out)
    return error.value, out.getvalue()


def write(path, text):
    path.write_bytes(text.encode("utf-8-sig"))
    return str(path)


def test_import_teams_creates_the_tree_and_prints_a_line_per_row(
    tmp_path, smtp_server, django_capture_on_commit_callbacks
):
    path = write(
        tmp_path / "teams.csv",
        "code;name;parent;managers\nlyon-desk;Desk;lyon;\nlyon;Lyon;;nina@x.org\n",
    )
    # The welcome e-mails leave once the import's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        output = run("import_teams", path)
    assert "row 2: create lyon-desk" in output
    assert "row 3: create lyon (new account for nina@x.org)" in output
    assert "Done: 2 created, 0 updated, 0 unchanged." in output
    assert Team.objects.get(code="lyon-desk").parent.code == "lyon"
    assert [message["To"] for message in smtp_server] == ["nina@x.org"]


def test_reimporting_teams_updates_and_does_not_email_existing_managers_again(
    tmp_path, smtp_server, django_capture_on_commit_callbacks
):
    path = write(tmp_path / "teams.csv", "code,name,managers\nlyon,Lyon,nina@x.org\n")
    with django_capture_on_commit_callbacks(execute=True):
        run("import_teams", path)
    path = write(tmp_path / "teams.csv", "code,name,managers\nlyon,Lyon centre,nina@x.org\n")
    with django_capture_on_commit_callbacks(execute=True):
        output = run("import_teams", path)
    assert "row 2: update lyon (name: Lyon → Lyon centre)" in output
    assert Team.objects.count() == 1
    assert len(smtp_server) == 1


def test_a_team_file_with_problems_exits_non_zero_and_changes_nothing(
    tmp_path, smtp_server, django_capture_on_commit_callbacks
):
    path = write(
        tmp_path / "teams.csv", "code,name,parent,managers\nlyon,Lyon,,nina@x.org\nbad code,X,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        error, output = refused("import_teams", path)
    assert error.returncode == 1
    assert "1 row(s) with problems: nothing was imported." in str(error)
    assert "row 3: problem: The code “bad code” may only hold" in output
    assert not Team.objects.exists()
    assert not get_user_model().objects.exists()
    assert smtp_server == []


def test_dry_run_reports_and_writes_nothing(
    tmp_path, smtp_server, django_capture_on_commit_callbacks
):
    path = write(tmp_path / "teams.csv", "code,name,managers\nlyon,Lyon,nina@x.org\n")
    with django_capture_on_commit_callbacks(execute=True):
        output = run("import_teams", path, "--dry-run")
    assert "row 2: create lyon" in output
    assert "Dry run" in output
    assert not Team.objects.exists()
    assert smtp_server == []


def test_an_unreadable_file_is_refused_by_the_command(tmp_path):
    path = write(tmp_path / "teams.csv", "code,title\nlyon,Lyon\n")
    error, _output = refused("import_teams", path)
    assert "Missing column(s): name." in str(error)
    error, _output = refused("import_teams", str(tmp_path / "nowhere.csv"))
    assert "could not be opened" in str(error)


def test_import_people_reads_an_xlsx_file(tmp_path):
    Team.objects.create(code="lyon", name="Lyon")
    path = tmp_path / "people.xlsx"
    pd.DataFrame(
        {"email": ["lea@x.org", "tom@x.org"], "side": ["Salarié", "client"], "team": ["lyon"] * 2}
    ).to_excel(path, index=False)
    output = run("import_people", str(path))
    assert "Done: 2 created, 0 updated, 0 unchanged." in output
    assert set(Person.objects.values_list("side", "email")) == {
        ("employee", "lea@x.org"),
        ("client", "tom@x.org"),
    }


def test_a_people_file_with_problems_exits_non_zero_and_changes_nothing(tmp_path):
    Team.objects.create(code="lyon", name="Lyon")
    path = write(
        tmp_path / "people.csv", "email,side,team\nlea@x.org,employee,lyon\ntom@x.org,boss,lyon\n"
    )
    error, output = refused("import_people", path)
    assert error.returncode == 1
    assert "row 3: problem: Unknown side “boss”" in output
    assert not Person.objects.exists()


def test_people_dry_run_writes_nothing(tmp_path):
    Team.objects.create(code="lyon", name="Lyon")
    path = write(tmp_path / "people.csv", "email,side,team\nlea@x.org,employee,lyon\n")
    assert "Dry run" in run("import_people", path, "--dry-run")
    assert not Person.objects.exists()
