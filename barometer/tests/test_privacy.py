"""Anonymity rules on single figures and comments (what may rest on which answers:
test_releases.py and test_adversary.py)."""

import pytest

from barometer import privacy


@pytest.mark.parametrize(("n", "shown"), [(None, False), (0, False), (4, False), (5, True)])
def test_a_figure_on_fewer_than_k_answers_is_not_published(n, shown):
    assert privacy.figure_published(n, 5) is shown


def test_comments_are_shuffled_the_same_way_whatever_their_arrival_order():
    texts = [f"comment {i}" for i in range(12)]
    first = privacy.shuffle_comments(texts, seed="2026-q4/desk/client", date="2026-11-30")
    again = privacy.shuffle_comments(texts[::-1], seed="2026-q4/desk/client", date="2026-11-30")
    other = privacy.shuffle_comments(texts, seed="2026-q4/bar/client", date="2026-11-30")
    assert first == again
    assert [c["text"] for c in first] != texts
    assert [c["text"] for c in first] != [c["text"] for c in other]
    assert sorted(c["text"] for c in first) == sorted(texts)


def test_a_comment_carries_only_its_text_and_the_close_date():
    shuffled = privacy.shuffle_comments(["  Merci  ", " ", "Bien"], seed="s", date="2026-11-30")
    assert sorted(shuffled, key=lambda c: c["text"]) == [
        {"text": "Bien", "date": "2026-11-30"},
        {"text": "Merci", "date": "2026-11-30"},
    ]
