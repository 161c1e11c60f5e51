"""Choosing teams by their place in the tree: full paths ("Hôtels Lumière › Paris ›
Réception"), a search, and "this team and everything below".

Works without JavaScript: the search is a submit button of the form it sits in, which
re-shows the form with the matching teams only (the ticked ones that no longer show are
kept as hidden inputs, so a search never loses a choice). `static/js/team_picker.js`
filters the list as one types instead, and turns that button into a plain one.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from surveys.teams import team_tree, tree_paths

SEARCH, FIND, BELOW = "_search", "_find", "_below"
SHOW_ALL = "all"


def folded(text):
    """Lower case without accents: what a search compares ("reception" finds "Réception";
    a team matches when its path holds every word of the search). `static/js/team_picker.js`
    folds and matches the same way."""
    decomposed = unicodedata.normalize("NFD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def team_paths(teams):
    """``{pk: path}`` of ``teams``, each path made of the names of the listed teams above it."""
    teams = list(teams)
    codes = {team.pk: team.code for team in teams}
    rows = [
        {"code": team.code, "name": team.name, "parent": codes.get(team.parent_id)}
        for team in teams
    ]
    by_code = tree_paths(rows)
    return {team.pk: by_code[team.code] for team in teams}


class _PathOrder(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        teams = list(self.queryset)
        paths = team_paths(self.field.queryset.all())
        for team in sorted(teams, key=lambda team: folded(paths.get(team.pk, team.name))):
            value, _label = self.choice(team)
            yield (value, paths.get(team.pk, team.name))


class TeamPathChoiceField(forms.ModelChoiceField):
    """One team, listed by its full path, in the alphabetical order of the paths."""

    iterator = _PathOrder


class Picked(list):
    """The ticked team ids as the picker sends them, with the branches ticked whole
    (``below``) and, when its search button was used, the search (``search``)."""

    below: list
    search: str | None


class TeamPickerWidget(forms.Widget):
    template_name = "surveys/forms/team_picker.html"

    def value_from_datadict(self, data, files, name):
        picked = Picked(data.getlist(name) if hasattr(data, "getlist") else data.get(name, []))
        picked.below = data.getlist(name + BELOW) if hasattr(data, "getlist") else []
        query = (data.get(name + SEARCH) or "").strip()
        find = data.get(name + FIND)
        # The first submit button of a form is also the one Enter presses in any field:
        # an empty search box there means "save", not "search for nothing".
        picked.search = "" if find == SHOW_ALL else query if find and query else None
        return picked

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list is an answer: no team ticked

    def render(self, name, value, attrs=None, renderer=None):
        context = self.tree_context(name, value, attrs or {})
        return render_to_string(self.template_name, context)

    def tree_context(self, name, value, attrs):
        value = value if value is not None else []
        ticked = {str(pk) for pk in value}
        below = {str(pk) for pk in getattr(value, "below", [])}
        search = getattr(value, "search", None) or ""
        teams = [choice.instance for choice, _label in self.choices if choice != ""]
        paths = team_paths(teams)
        nodes = team_tree(teams)
        has_children = {node.team.parent_id for node in nodes}
        groups, kept, hidden_below = [], [], []
        for node in nodes:
            team, key = node.team, str(node.team.pk)
            row = {
                "pk": key,
                "path": paths[team.pk],
                "search": folded(paths[team.pk]),
                "ticked": key in ticked,
                "branch": team.pk in has_children,
                "below": key in below,
            }
            if search and not all(word in row["search"] for word in folded(search).split()):
                kept += [key] if row["ticked"] else []
                hidden_below += [key] if row["below"] else []
                continue
            if node.depth == 0 or not groups:
                groups.append({"legend": team.name, "rows": []})
            groups[-1]["rows"].append(row)
        return {
            "name": name,
            "id": attrs.get("id", "id_" + name),
            "search_name": name + SEARCH,
            "find_name": name + FIND,
            "below_name": name + BELOW,
            "show_all": SHOW_ALL,
            "search": search,
            "groups": groups,
            "kept": kept,
            "hidden_below": hidden_below,
            "invalid": "is-invalid" in attrs.get("class", ""),
            # The help, and the errors' id crispy-forms gives when there are errors.
            "described_by": " ".join(
                part
                for part in (f"{attrs.get('id', 'id_' + name)}_help", attrs.get("aria-describedby"))
                if part
            ),
        }


class TeamPickerField(forms.ModelMultipleChoiceField):
    """Teams ticked one by one or by branch; cleans to the teams (a branch gives the team
    and every team of the queryset below it). Using the picker's search shows the
    matching teams again and saves nothing: the field then says what it shows."""

    widget = TeamPickerWidget

    def prepare_value(self, value):
        prepared = super().prepare_value(value)
        if isinstance(value, Picked):  # keep the branches and the search for the widget
            prepared = Picked(prepared)
            prepared.below, prepared.search = value.below, value.search
        return prepared

    def clean(self, value):
        value = value if value is not None else Picked()
        if getattr(value, "search", None) is not None:
            if value.search:
                message = _("Teams matching “%(search)s”: tick those to include, then save.")
            else:
                message = _("All the teams are shown again: tick those to include, then save.")
            raise ValidationError(message, code="searching", params={"search": value.search})
        wanted = {str(pk) for pk in value}
        below = {str(pk) for pk in getattr(value, "below", [])}
        if below:
            children = {}
            for pk, parent in self.queryset.values_list("pk", "parent_id"):
                children.setdefault(str(parent), []).append(str(pk))
            todo, seen = list(below), set()
            while todo:
                pk = todo.pop()
                if pk not in seen:
                    seen.add(pk)
                    todo += children.get(pk, [])
            wanted |= seen
        return super().clean(sorted(wanted))
