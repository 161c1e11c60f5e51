"""Where small teams' answers would count at the close, played with the releases' own
pooling (the pre-launch checks read it): no database."""

from barometer.refresh import pooling_forecast

TREE = {"org": None, "lyon": "org", "reception": "lyon", "kitchen": "lyon", "bar": "lyon"}


def forecast(invited, scores=5, comments=10):
    return pooling_forecast(tree=TREE, invited=invited, scores=scores, comments=comments)


def test_a_team_that_reaches_the_threshold_holds_its_own_answers():
    landing, _ = forecast({("reception", "employee"): 5})
    assert landing["reception", "employee"] == "reception"


def test_small_siblings_pool_into_the_lowest_team_where_they_reach_it():
    landing, _ = forecast(
        {("reception", "employee"): 3, ("kitchen", "employee"): 2, ("bar", "employee"): 9}
    )
    assert landing["reception", "employee"] == "lyon"
    assert landing["kitchen", "employee"] == "lyon"
    assert landing["bar", "employee"] == "bar"


def test_a_pool_that_reaches_no_threshold_counts_nowhere():
    landing, _ = forecast({("reception", "client"): 2, ("bar", "client"): 8})
    assert landing["reception", "client"] is None


def test_comments_show_where_the_pool_reaches_the_comment_threshold():
    _, with_comments = forecast({("reception", "employee"): 6, ("kitchen", "employee"): 6})
    assert with_comments == {("lyon", "employee")}
