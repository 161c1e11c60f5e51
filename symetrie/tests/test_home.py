"""The home page: HR's campaigns lead to their page and dashboard; the results API is
named for what it is, a service for tools, not a raw "JSON" link."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(org, smtp_server, django_capture_on_commit_callbacks):
    make_person(org["team"], "lea@example.org")
    draft = make_campaign([org["team"]], slug="brouillon")
    with django_capture_on_commit_callbacks(execute=True):
        running = services.campaign_launch(campaign=make_campaign([org["team"]], slug="printemps"))
    return draft, running


def test_hr_home_has_no_raw_json_link_and_labels_the_api_for_tools(client, hr_user, campaigns):
    text = logged_in(client, hr_user).get(reverse("home")).text

    assert ">JSON<" not in text
    assert "For tools (spreadsheets, BI, scripts)" in text
    # The one API link there is, labelled as such.
    api = reverse("barometer:results_json", args=["printemps"])
    assert text.count('results.json"') == 1 and f'href="{api}"' in text
    assert reverse("barometer:overview", args=["printemps"]) in text
    # A draft has no dashboard yet.
    assert reverse("barometer:overview", args=["brouillon"]) not in text
    assert "not started" in text


def test_a_manager_home_has_no_api_note(client, manager, campaigns):
    text = logged_in(client, manager).get(reverse("home")).text

    assert "For tools" not in text
    assert ">JSON<" not in text
    assert reverse("barometer:overview", args=["printemps"]) in text
