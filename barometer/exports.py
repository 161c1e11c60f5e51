"""The results document as tables: CSV and XLSX exports (thresholds already applied).

Pure functions over the document dict: what a snapshot hides stays hidden, since
nothing here reads the database.
"""

import io

import pandas as pd

SIDE_FIELDS = (
    "status",
    "responses",
    "invited",
    "response_rate",
    "nps",
    "promoters",
    "passives",
    "detractors",
)


def _side_row(level, code, name, parent, side, figures, dimension_codes):
    row = {"level": level, "team": code, "name": name, "parent": parent, "side": side}
    for field in SIDE_FIELDS:
        row[field] = figures.get(field)
    interval = figures.get("nps_ci95") or (None, None)
    row["nps_ci95_low"], row["nps_ci95_high"] = interval
    dimensions = figures.get("dimensions") or {}
    for code_ in dimension_codes:
        dimension = dimensions.get(code_) or {}
        for field in ("favourable", "mean", "n"):
            row[f"{code_}_{field}"] = dimension.get(field)
    return row


def sides_table(document):
    """One row per (organisation or team, side): status, counts, NPS, every 1–5 item."""
    entries = [("organisation", "", "", None, document["organisation"])]
    entries += [
        ("team", team["code"], team["name"], team["parent"], team) for team in document["teams"]
    ]
    dimension_codes = []
    for *_, entry in entries:
        for side in ("employee", "client"):
            for code in entry[side].get("dimensions") or {}:
                if code not in dimension_codes:
                    dimension_codes.append(code)
    rows = [
        _side_row(level, code, name, parent, side, entry[side], dimension_codes)
        for level, code, name, parent, entry in entries
        for side in ("employee", "client")
    ]
    return pd.DataFrame(rows)


def symmetry_table(document):
    """One row per organisation/team: the symmetry index and the gap of each dimension."""
    entries = [("", document["organisation"])] + [(t["code"], t) for t in document["teams"]]
    rows = []
    for code, entry in entries:
        row = {"team": code, "index": entry["symmetry"]["index"]}
        row.update({f"gap_{key}": value for key, value in entry["symmetry"]["gaps"].items()})
        rows.append(row)
    return pd.DataFrame(rows)


def correlations_table(document):
    """One row per correlation (recommend, each dimension, the lagged pair)."""
    found = document["correlations"]
    named = [("recommend", found["recommend"])]
    named += [(f"dimension:{code}", corr) for code, corr in found["dimensions"].items()]
    for direction, corr in (found.get("lagged") or {}).items():
        named.append((f"lagged:{direction}", corr))
    rows = []
    for name, corr in named:
        low, high = corr.get("pearson_ci95") or (None, None)
        rows.append(
            {
                "measure": name,
                "pearson": corr["pearson"],
                "pearson_ci95_low": low,
                "pearson_ci95_high": high,
                "p_value": corr["p_value"],
                "spearman": corr["spearman"],
                "teams": corr["teams"],
                "label": corr["label"],
            }
        )
    return pd.DataFrame(rows)


def to_csv(document):
    """The sides table as UTF-8 CSV with a BOM, so spreadsheet software reads accents."""
    return sides_table(document).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(document):
    """A workbook with the sides, symmetry and correlations sheets."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sides_table(document).to_excel(writer, sheet_name="sides", index=False)
        symmetry_table(document).to_excel(writer, sheet_name="symmetry", index=False)
        correlations_table(document).to_excel(writer, sheet_name="correlations", index=False)
    return buffer.getvalue()
