"""The README's architecture section names only folders and files that exist."""

import re

from django.conf import settings

README = settings.BASE_DIR / "README.md"

# A folder (`charts/`) or a file (`views.py`, `base.html`); a name with a slash inside
# (`templates/emails/`) is from the repository's root, one without from its entry.
NAME = re.compile(r"(?<![\w./-])([A-Za-z_][\w.-]*(?:/[\w.-]+)*(?:/|\.py|\.html|\.md))(?![\w/])")


def architecture_section():
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]


def tree_entries(section):
    """``{top-level name: its description}`` from the section's tree block."""
    block = section.split("```", 2)[1]
    entries, name = {}, None
    for line in block.splitlines()[1:]:
        if line and not line[0].isspace():
            name, _, rest = line.partition(" ")
            entries[name] = rest
        elif name:
            entries[name] += " " + line.strip()
    return entries


def named_paths(entry, description):
    """The paths an entry's description names. Inside the brackets that follow a folder
    (``answering/ (lookup.py, store.py)``) names are in that folder."""
    paths, bases, last, last_end = [], [entry], None, 0
    for match in re.finditer(r"\(|\)|" + NAME.pattern, description):
        token = match.group(0)
        if token == "(":
            right_after = not description[last_end : match.start()].strip()
            folder = last is not None and last.endswith("/") and right_after
            bases.append(last if folder else bases[-1])
        elif token == ")":
            if len(bases) > 1:
                bases.pop()
        else:
            last = token if "/" in token.rstrip("/") else bases[-1] + token
            last_end = match.end()
            paths.append(last)
    return paths


def prose_paths(section):
    """Backticked paths and dotted module names in the section's text."""
    prose = section.split("```")[0] + section.split("```", 2)[2]
    found = []
    for quoted in re.findall(r"`([^`\s]+)`", prose):
        if NAME.fullmatch(quoted):
            found.append(quoted)
        elif re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", quoted):
            found.append(quoted.replace(".", "/") + ".py")
    return found


def every_named_path():
    section = architecture_section()
    entries = tree_entries(section)
    paths = list(entries)
    for entry, description in entries.items():
        paths += named_paths(entry, description)
    return paths + prose_paths(section)


def test_every_path_the_architecture_section_names_exists():
    missing = [path for path in every_named_path() if not (settings.BASE_DIR / path).exists()]
    assert missing == []


def test_the_section_names_each_part_of_the_tree():
    entries = tree_entries(architecture_section())
    for name in ("symetrie/", "audit/", "surveys/", "barometer/", "demo/", "templates/"):
        assert name in entries
    for name in ("static/", "bench/", "tools/", "locale/"):
        assert name in entries
    # Every app of ours (a folder of the repository in INSTALLED_APPS) has its entry.
    ours = [app for app in settings.INSTALLED_APPS if (settings.BASE_DIR / app).is_dir()]
    assert [app for app in ours if f"{app}/" not in entries] == []


def test_names_in_a_folder_are_read_in_that_folder():
    described = "x.py, sub/ (a.py: why, b.py), c/ (d.py) e.py, f/: g (h.py), templates/emails/"
    assert named_paths("app/", described) == [
        "app/x.py",
        "app/sub/",
        "app/sub/a.py",
        "app/sub/b.py",
        "app/c/",
        "app/c/d.py",
        "app/e.py",
        "app/f/",
        "app/h.py",
        "templates/emails/",
    ]
