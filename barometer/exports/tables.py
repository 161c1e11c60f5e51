"""The results document as tables: what the CSV and XLSX exports hold.

Pure over the document dict (thresholds already applied: nothing here reads the
database, so what a snapshot hides stays hidden). Each table's columns are declared
once, in the tuples below: a column is its key, its header (translated when the table
is built), the kind of its cells (``labels.COUNT``, ``SHARE``…, which say how they are
rounded and formatted) and how a row gives its value. A cell holds a number, a text,
``None`` (nothing applies) or ``labels.HIDDEN`` / ``labels.NO_DATA``.
"""

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.translation import gettext, gettext_lazy

from barometer import charts
from barometer.dashboards.tables import named_correlations
from barometer.dashboards.wording import dimensions, link_words
from barometer.exports import labels
from barometer.exports.labels import COUNT, HIDDEN, MEAN, NO_DATA, SCORE, SHARE, TEXT, P, R

SIDES = ("employee", "client")


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # a lazy translation, or a text already translated
    kind: str
    value: Any  # row -> cell


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name, translated
    columns: list[Column]
    rows: list[list[Any]]
    frozen: int = 1  # how many leading columns stay in view (with the header row)


class Place(NamedTuple):
    level: str
    code: str
    name: str
    path: str
    entry: dict


class SideRow(NamedTuple):
    place: Place
    side: str
    figures: dict


def _figure(key):
    """A side's figure: hidden on a suppressed side, "no data" where nobody answered,
    hidden when a published side leaves it out (fewer than k answers to it)."""

    def value(row):
        status = row.figures.get("status")
        if status == "suppressed":
            return HIDDEN
        if status == "no_data":
            return row.figures.get(key, NO_DATA)
        found = row.figures.get(key)
        return HIDDEN if found is None else found

    return value


def _interval(end):
    def value(row):
        found = _figure("nps_ci95")(row)
        return found[end] if isinstance(found, list) else found

    return value


def _participation(key):
    """Answers by channel and the rate: nobody on a side without data; nothing from a
    document computed before public-link answers were counted apart (its rate mixed
    them in)."""

    def value(row):
        status = row.figures.get("status")
        if status == "suppressed":
            return HIDDEN
        if status == "no_data":
            return 0 if key != "response_rate" else row.figures.get(key)
        if "personal_responses" not in row.figures:
            return None
        return row.figures.get(key)

    return value


def _change(row, code=None):
    """The change since the previous campaign of a side's NPS (or of one item), as
    the document has it: only where both campaigns published the figure."""
    change = (row.place.entry.get("change") or {}).get(row.side) or {}
    return change.get("nps") if code is None else (change.get("dimensions") or {}).get(code)


def _change_points(code=None):
    return lambda row: (found := _change(row, code)) and found["points"]


def _change_reading(code=None):
    def value(row):
        found = _change(row, code)
        if not found:
            return None
        return gettext("significant") if found["significant"] else gettext("within noise")

    return value


def _since(row):
    since = (row.place.entry.get("change") or {}).get("since")
    return since["name"] if since else None


def _index(place):
    found = place.entry["symmetry"]["index"]
    if found is not None:
        return found
    statuses = {place.entry[side].get("status") for side in SIDES}
    return NO_DATA if "no_data" in statuses and "suppressed" not in statuses else HIDDEN


def _gap(place, code):
    """A dimension's gap as the heatmap shows it: the figure, hidden, or no data."""
    cell = charts.heatmap_cells([place.entry], [code])[0][0]
    if cell["state"] == "gap":
        return cell["gap"]
    return HIDDEN if cell["state"] == "suppressed" else NO_DATA


# The columns naming an organisation or team (their values read a Place).
PLACE_COLUMNS = (
    Column("name", gettext_lazy("Team"), TEXT, lambda place: place.name),
    Column("code", gettext_lazy("Team code"), TEXT, lambda place: place.code),
    Column("path", gettext_lazy("Path"), TEXT, lambda place: place.path),
    Column("level", gettext_lazy("Level"), TEXT, lambda place: place.level),
)
# The columns of one side of a place (their values read a SideRow).
SIDE_COLUMNS = (
    Column("side", gettext_lazy("Side"), TEXT, lambda row: labels.side_word(row.side)),
    Column(
        "status",
        gettext_lazy("Status"),
        TEXT,
        lambda row: labels.status_word(row.figures["status"]),
    ),
    Column("responses", gettext_lazy("Respondents in the figures"), COUNT, _figure("responses")),
    Column("invited", gettext_lazy("Invited"), COUNT, lambda row: row.figures.get("invited")),
    Column(
        "personal_responses",
        gettext_lazy("Answers through personal links"),
        COUNT,
        _participation("personal_responses"),
    ),
    Column("response_rate", gettext_lazy("Response rate"), SHARE, _participation("response_rate")),
    Column(
        "public_responses",
        gettext_lazy("Answers through the public link"),
        COUNT,
        _participation("public_responses"),
    ),
    Column("nps", gettext_lazy("NPS"), SCORE, _figure("nps")),
    Column("nps_low", gettext_lazy("NPS 95% interval: low"), SCORE, _interval(0)),
    Column("nps_high", gettext_lazy("NPS 95% interval: high"), SCORE, _interval(1)),
    Column("promoters", gettext_lazy("Promoters"), COUNT, _figure("promoters")),
    Column("passives", gettext_lazy("Passives"), COUNT, _figure("passives")),
    Column("detractors", gettext_lazy("Detractors"), COUNT, _figure("detractors")),
    Column("compared_with", gettext_lazy("Previous campaign"), TEXT, _since),
    Column("nps_change", gettext_lazy("NPS change (points)"), SCORE, _change_points()),
    Column("nps_change_reading", gettext_lazy("NPS change: reading"), TEXT, _change_reading()),
)
# Each 1–5 item of a side gets these columns; the header's {name} is the item's name.
ITEM_COLUMNS = (
    ("favourable", gettext_lazy("{name}: favourable"), SHARE),
    ("mean", gettext_lazy("{name}: mean (1–5)"), MEAN),
    ("n", gettext_lazy("{name}: answers"), COUNT),
)
# And these, the change of its favourable share since the previous campaign.
CHANGE_HEADERS = (gettext_lazy("{name}: change (points)"), gettext_lazy("{name}: change, reading"))
# The symmetry of a place (values read a Place), then these for each mirrored dimension,
# whose values read (place, dimension code).
SYMMETRY_COLUMNS = (Column("index", gettext_lazy("Symmetry index"), SCORE, _index),)
GAP_COLUMNS = (("gap", gettext_lazy("{name}: gap (points)"), SCORE, _gap),)
CORRELATION_COLUMNS = (
    Column("measure", gettext_lazy("Measure"), TEXT, lambda row: row[0]),
    Column("pearson", gettext_lazy("Pearson r"), R, lambda row: row[1].get("pearson")),
    Column("low", gettext_lazy("r 95% interval: low"), R, lambda row: _ends(row[1])[0]),
    Column("high", gettext_lazy("r 95% interval: high"), R, lambda row: _ends(row[1])[1]),
    Column("p_value", gettext_lazy("p-value"), P, lambda row: row[1].get("p_value")),
    Column("spearman", gettext_lazy("Spearman ρ"), R, lambda row: row[1].get("spearman")),
    Column("teams", gettext_lazy("Teams compared"), COUNT, lambda row: row[1].get("teams")),
    Column(
        "label",
        gettext_lazy("Reliability"),
        TEXT,
        lambda row: labels.reliability_word(row[1].get("label")),
    ),
    Column("reading", gettext_lazy("Reading"), TEXT, lambda row: link_words(row[1])),
)


def _ends(corr):
    return corr.get("pearson_ci95") or (None, None)


def places(document):
    """The organisation, then each team in tree order, with its path of names."""
    found = [
        Place(gettext("Organisation"), "", gettext("Organisation"), "", document["organisation"])
    ]
    paths = {}
    for team in document["teams"]:  # parents come first
        name = team["name"] or team["code"]
        above = paths.get(team["parent"])
        paths[team["code"]] = f"{above} › {name}" if above else name
        found.append(Place(gettext("Team"), team["code"], name, paths[team["code"]], team))
    return found


def _item_codes(document):
    """Every 1–5 item either side holds, mirrored dimensions first, then in the
    document's order."""
    found = {}  # an ordered set
    for place in places(document):
        for side in SIDES:
            found.update(dict.fromkeys(place.entry[side].get("dimensions") or {}))
    mirrored = [code for code, _ in dimensions(document) if code in found]
    return mirrored + [code for code in found if code not in mirrored]


def _item_column(code, name, field, header, kind):
    def value(row):
        status = row.figures.get("status")
        if status == "suppressed":
            return HIDDEN
        if status == "no_data":
            return NO_DATA
        items = row.figures.get("dimensions") or {}
        if code not in items:
            return None  # not asked on this side
        found = items[code].get(field)
        return HIDDEN if found is None else found

    return Column(f"{code}_{field}", str(header).format(name=name), kind, value)


def side_columns(document):
    names = labels.item_names(document)
    items = []
    for code in _item_codes(document):
        name = names.get(code, code)
        items += [_item_column(code, name, *declared) for declared in ITEM_COLUMNS]
        items += [
            Column(
                f"{code}_change",
                str(CHANGE_HEADERS[0]).format(name=name),
                SCORE,
                _change_points(code),
            ),
            Column(
                f"{code}_change_reading",
                str(CHANGE_HEADERS[1]).format(name=name),
                TEXT,
                _change_reading(code),
            ),
        ]
    return [*map(_of_side, PLACE_COLUMNS), *SIDE_COLUMNS, *items]


def _of_side(column):
    """A place's column in a table of side rows."""
    return Column(column.key, column.header, column.kind, lambda row: column.value(row.place))


def _side_rows(document):
    return [SideRow(place, side, place.entry[side]) for place in places(document) for side in SIDES]


def sides_table(document):
    """One row per (organisation or team, side): participation, NPS, every 1–5 item."""
    columns = side_columns(document)
    return Table(gettext("Results by side"), columns, _cells(columns, _side_rows(document)))


def _dimension_column(code, name, field, header, kind, value):
    return Column(
        f"{field}_{code}", str(header).format(name=name), kind, lambda place: value(place, code)
    )


def symmetry_columns(document):
    gaps = [
        _dimension_column(code, name, *declared)
        for code, name in dimensions(document)
        for declared in GAP_COLUMNS
    ]
    return [*SYMMETRY_COLUMNS, *gaps]


def symmetry_table(document):
    """One row per organisation/team: the symmetry index and each dimension's gap."""
    columns = [*PLACE_COLUMNS, *symmetry_columns(document)]
    return Table(gettext("Symmetry"), columns, _cells(columns, places(document)))


def correlations_table(document):
    """One row per correlation: recommend, the lagged pair, each dimension."""
    found = document["correlations"]
    named = named_correlations(document)
    named += [
        (name, found["dimensions"][code])
        for code, name in dimensions(document)
        if code in found["dimensions"]
    ]
    columns = list(CORRELATION_COLUMNS)
    return Table(gettext("Correlations"), columns, _cells(columns, named))


def readme_table(document):
    """The definitions and thresholds of the campaign, one topic a row."""
    columns = [
        Column("topic", gettext_lazy("Topic"), TEXT, lambda row: row[0]),
        Column("details", gettext_lazy("Details"), TEXT, lambda row: row[1]),
    ]
    return Table(gettext("Read me"), columns, _cells(columns, labels.definitions(document)))


def csv_table(document):
    """The one table of a CSV file: the sides table, each row with its team's symmetry
    index and gaps (the same on both sides' rows)."""
    columns = [*side_columns(document), *map(_of_side, symmetry_columns(document))]
    return Table(gettext("Results by side"), columns, _cells(columns, _side_rows(document)))


def _cells(columns, rows):
    return [[column.value(row) for column in columns] for row in rows]
