"""The columns the team and people imports accept: English name, French name, other
accepted names and what each holds. The screens, the templates to download and the
commands read the same declarations."""

from django.utils.translation import gettext_lazy

from surveys.tabular import Column

TEAM_COLUMNS = [
    Column(
        "code",
        required=True,
        description=gettext_lazy(
            "the team's stable code: letters, digits, hyphens, underscores (required)"
        ),
    ),
    Column(
        "name",
        required=True,
        aliases=("nom",),
        french="nom",
        description=gettext_lazy("its name (required)"),
    ),
    Column(
        "parent",
        required=False,
        description=gettext_lazy(
            "the code of the team above it, in the file or already known; empty for a"
            " top-level team"
        ),
    ),
    Column(
        "managers",
        required=False,
        aliases=("manager", "responsables", "responsable"),
        french="responsables",
        description=gettext_lazy(
            "e-mail addresses separated by spaces, commas or semicolons; they replace the"
            " team's managers"
        ),
    ),
]
PEOPLE_COLUMNS = [
    Column(
        "email",
        required=True,
        aliases=("e-mail", "mail", "courriel"),
        french="courriel",
        description=gettext_lazy("their e-mail address (required)"),
    ),
    Column(
        "side",
        required=True,
        aliases=("côté", "cote"),
        french="côté",
        description=gettext_lazy("employee (or salarié) or client (required)"),
    ),
    Column(
        "team",
        required=True,
        aliases=("équipe", "equipe"),
        french="équipe",
        description=gettext_lazy("the code of their team (required)"),
    ),
    Column(
        "name",
        required=False,
        aliases=("nom",),
        french="nom",
        description=gettext_lazy("their name (optional)"),
    ),
    Column(
        "language",
        required=False,
        aliases=("langue",),
        french="langue",
        description=gettext_lazy(
            "fr or en, the language of their invitations (optional, French by default)"
        ),
    ),
]
