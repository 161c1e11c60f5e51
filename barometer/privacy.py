"""Anonymity vocabulary and the rules applied to single figures and comments.

No Django import. Which answers a figure may rest on is decided by the releases
(``barometer.releases``): every published figure is a sum of groups of at least k
answers, which is what keeps subtraction from isolating anyone. Here: a side is
*published* (``"ok"``) when its figures are shown, ``"suppressed"`` when it has
respondents but nothing released, ``"no_data"`` when nobody answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

OK = "ok"
SUPPRESSED = "suppressed"
NO_DATA = "no_data"


def figure_published(n: int | None, k: int) -> bool:
    """Whether a single figure (a dimension, the NPS) resting on ``n`` answers may be shown.

    False for ``None`` or ``n < k``, even when the side itself is shown: a side with 8
    respondents of whom 3 answered an item publishes that item as null.
    """
    return n is not None and n >= k


def shuffle_comments(texts: Iterable[str], *, seed: str, date: str) -> list[dict[str, str]]:
    """Comments of one group as ``[{"text", "date"}]`` in a seeded, repeatable order.

    ``seed`` should come from stable inputs (campaign slug, team code, side) so that a
    recomputation yields the same document; ``date`` is the campaign's close date and
    the only date given. The order is that of SHA-256(seed, text), which depends
    neither on the order of arrival nor on the order of ``texts``. Blank texts are
    dropped; surrounding whitespace is trimmed; duplicates are kept.
    """
    cleaned = [t.strip() for t in texts if t is not None and t.strip()]
    ordered = sorted(cleaned, key=lambda t: (_digest(seed, t), t))
    return [{"text": text, "date": date} for text in ordered]


def _digest(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{text}".encode()).hexdigest()
