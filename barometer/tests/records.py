"""Respondents as plain records, turned into what the barometer collects (no database).

A record is ``(team, side, answers, comment)`` or ``(team, side, answers, comment,
channel)``: ``answers`` maps question codes to values (0 = don't know on 1–5 items),
``comment`` is a text or None, ``channel`` is ``personal`` (default) or ``public``.
"""

from barometer import releases

NPS_ITEMS = {"recommend"}


def kind_of(question):
    return "nps" if question in NPS_ITEMS else "likert"


def raw_from(records):
    """``(raw, texts)`` in the shapes of ``barometer.releases`` / ``barometer.data``."""
    raw, texts = {}, {}
    for record in records:
        team, side, answers, comment = record[:4]
        channel = record[4] if len(record) > 4 else "personal"
        tally = (
            raw.setdefault(team, {})
            .setdefault(side, {})
            .setdefault(channel, {"respondents": 0, "items": {}, "comments": {}})
        )
        tally["respondents"] += 1
        for question, value in answers.items():
            distribution = tally["items"].setdefault(question, {})
            distribution[value] = distribution.get(value, 0) + 1
        if comment is not None and comment.strip():
            digest = releases.comment_digest(comment)
            texts[digest] = comment
            tally["comments"][digest] = tally["comments"].get(digest, 0) + 1
    return raw, texts


def kinds_for(questions=("recommend", "trust", "listening", "perceived_other")):
    return {f"{side}/{q}": kind_of(q) for side in releases.SIDES for q in questions}
