"""Every campaign screen: login first, then HR only (a manager gets 403, anybody else 404)."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Campaign
from surveys.tests.campaign_helpers import (
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db

CAMPAIGN = {"slug": "printemps"}
LINK = {"slug": "printemps", "team": "lyon-reception"}
PAGES = [
    ("surveys:campaigns", {}),
    ("surveys:campaign_create", {}),
    ("surveys:campaign_detail", CAMPAIGN),
    ("surveys:campaign_edit", CAMPAIGN),
    ("surveys:campaign_monitor", CAMPAIGN),
    ("surveys:campaign_public_links", CAMPAIGN),
    ("surveys:public_link_qr", {**LINK, "format": "png"}),
    ("surveys:public_link_qr", {**LINK, "format": "svg"}),
    ("surveys:public_link_print", LINK),
    ("surveys:campaign_launch", CAMPAIGN),
    ("surveys:campaign_open", CAMPAIGN),
    ("surveys:campaign_remind", CAMPAIGN),
    ("surveys:campaign_close", CAMPAIGN),
    ("surveys:campaign_reopen", CAMPAIGN),
    ("surveys:campaign_erase_links", CAMPAIGN),
    ("surveys:campaign_delete", CAMPAIGN),
    ("surveys:campaign_extend", CAMPAIGN),
    ("surveys:campaign_duplicate", CAMPAIGN),
    ("surveys:campaign_test_email", CAMPAIGN),
]
BUTTONS = [
    "surveys:campaign_launch",
    "surveys:campaign_open",
    "surveys:campaign_remind",
    "surveys:campaign_send_pending",
    "surveys:campaign_close",
    "surveys:campaign_reopen",
    "surveys:campaign_erase_links",
    "surveys:campaign_delete",
    "surveys:campaign_extend",
    "surveys:campaign_duplicate",
    "surveys:campaign_test_email",
]
EVERYTHING = [("get", name, kwargs) for name, kwargs in PAGES] + [
    ("post", name, CAMPAIGN) for name in BUTTONS
]


@pytest.fixture
def campaign(org):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign([org["team"]], opens_in=3)
    return services.campaign_launch(campaign=campaign)  # scheduled: nothing is sent


@pytest.mark.parametrize(("method", "name", "kwargs"), EVERYTHING)
def test_campaign_screens_require_login(client, campaign, method, name, kwargs):
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("method", "name", "kwargs"), EVERYTHING)
def test_a_stranger_finds_nothing_there(client, stranger, campaign, method, name, kwargs):
    client.force_login(stranger)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize(("method", "name", "kwargs"), EVERYTHING)
def test_a_manager_is_forbidden_and_changes_nothing(
    client, manager, campaign, method, name, kwargs
):
    client.force_login(manager)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 403
    campaign.refresh_from_db()
    assert (campaign.status, campaign.reminders_sent) == (Campaign.Status.SCHEDULED, 0)


def test_sending_the_pending_e_mails_answers_post_only(client, hr_user, campaign):
    client.force_login(hr_user)
    assert client.get(reverse("surveys:campaign_send_pending", kwargs=CAMPAIGN)).status_code == 405
