"""Random and hostile form posts: always 200, 302 or 400, never 500; nothing kept on 400."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from barometer.tests.factories import make_campaign
from surveys.models import Response
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-2, max_value=12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=50),
    st.text(min_size=1990, max_size=2100),
    st.sampled_from(["", " ", "0", "5", "10", "null", "<script>", "' OR 1=1 --", "\x00", "٣"]),
    st.lists(st.sampled_from(["1", "4", "x"]), min_size=2, max_size=3),
)


@pytest.fixture
def world(org):
    campaign = open_campaign(org)
    other = make_campaign("other", teams=[org["team"]])
    names = {
        "own": [f"q{q.pk}" for q in campaign.questions.filter(side="employee")],
        "other_side": [f"q{q.pk}" for q in campaign.questions.filter(side="client")],
        "other_campaign": [f"q{q.pk}" for q in other.questions.all()],
    }
    return campaign, names, public_link(campaign, org["sibling"])


def posts(names):
    """A hostile post, and which valid answers to drop when it is laid over a valid one."""
    field_names = st.one_of(
        st.sampled_from(names["own"]),
        st.sampled_from(names["other_side"] + names["other_campaign"]),
        st.from_regex(r"q[0-9]{1,12}", fullmatch=True),
        st.text(max_size=20),
    )
    return st.tuples(
        st.dictionaries(field_names, VALUES, max_size=25),
        st.sets(st.sampled_from(names["own"]), max_size=3),
    )


def test_a_thousand_hostile_posts_never_break_the_answering_page(world, org, settings):
    # The per-address limit has its own test; here every post must reach the form.
    settings.PUBLIC_ANSWER_RATE = "100000/m"
    campaign, names, link = world
    valid = full_answers(campaign, "employee")
    number = iter(range(10**6))

    @hypothesis_settings(
        max_examples=1000,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(post=posts(names), public=st.booleans(), over_valid=st.booleans())
    def check(post, public, over_valid):
        hostile, dropped = post
        # Laid over a valid answer, small damage to an otherwise good post is tried too.
        data = hostile
        if over_valid:
            data = {k: v for k, v in valid.items() if k not in dropped} | hostile
        if public:
            url = f"/q/{link.token}/"
        else:
            _, token = personal_link(campaign, org["team"], email=f"h{next(number)}@example.org")
            url = f"/r/{token}/"
        before = Response.objects.count()
        status = Client().post(url, data).status_code
        after = Response.objects.count()
        assert status in (200, 302, 400)
        assert after == before + (1 if status == 302 else 0)

    check()
