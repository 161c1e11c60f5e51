"""What respondents see of the branding: the questionnaire names the team and the
organisation in the respondent's language, on both sides, and so do the thank-you
page and the poster; a change of branding shows on the next request."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.tests.branding_helpers import brand, png_bytes
from surveys.tests.campaign_helpers import logged_in
from surveys.tests.campaign_helpers import make_campaign as make_draft
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link

pytestmark = pytest.mark.django_db
ORG = "Hôtels Lumière"


@pytest.fixture
def campaign(org):
    org["team"].name = "Bar Le Zinc"
    org["team"].save(update_fields=["name"])
    campaign = open_campaign(org)
    campaign.name = "Q3 interne — ne pas diffuser"  # HR's label: never shown to respondents
    campaign.save(update_fields=["name"])
    return campaign


@pytest.fixture
def branded(hr_user):
    return brand(hr_user, organisation_name=ORG, logo=png_bytes())


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Votre avis sur l’équipe Bar Le Zinc de Hôtels Lumière"),
        ("en", "Your opinion of the team Bar Le Zinc at Hôtels Lumière"),
    ],
)
def test_the_client_questionnaire_names_the_team_and_the_company(
    client, campaign, org, branded, language, heading
):
    _, token = personal_link(campaign, org["team"], side="client", language=language)

    page = client.get(f"/r/{token}/").text

    assert f'<h1 class="h4 mb-1">{heading}</h1>' in page
    assert campaign.name not in page
    assert f"?v={branded.version}" in page and 'class="respond-logo"' in page


@pytest.mark.parametrize(
    ("language", "heading", "team"),
    [
        (
            "fr",
            "Votre expérience au travail chez Hôtels Lumière",
            "Votre équipe\u00a0: Bar Le Zinc",
        ),
        ("en", "Your experience at work at Hôtels Lumière", "Your team: Bar Le Zinc"),
    ],
)
def test_the_employee_questionnaire_names_the_team(
    client, campaign, org, branded, language, heading, team
):
    _, token = personal_link(campaign, org["team"], language=language)

    page = client.get(f"/r/{token}/").text

    assert heading in page and team in page
    assert campaign.name not in page


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("fr", "Votre avis sur l’équipe Bar Le Zinc de Hôtels Lumière"),
        ("en", "Your opinion of the team Bar Le Zinc at Hôtels Lumière"),
    ],
)
def test_the_public_questionnaire_names_the_team_and_the_company(
    client, campaign, org, branded, lang, heading
):
    link = public_link(campaign, org["team"])

    page = client.get(f"/q/{link.token}/?lang={lang}").text

    assert heading in page and campaign.name not in page


def test_without_branding_the_heading_names_the_team_alone(client, campaign, org):
    _, token = personal_link(campaign, org["team"], side="client", language="en")

    page = client.get(f"/r/{token}/").text

    assert '<h1 class="h4 mb-1">Your opinion of the team Bar Le Zinc</h1>' in page
    assert "<title>Your opinion of the team Bar Le Zinc · Symétrie</title>" in page


def test_each_team_gets_its_own_name_from_the_same_blank_page(client, campaign, org):
    org["sibling"].name = "Cuisine <Nord> & Sud"
    org["sibling"].save(update_fields=["name"])
    _, first = personal_link(campaign, org["team"], language="en")
    _, second = personal_link(campaign, org["sibling"], language="en", email="b@example.org")

    assert "Your team: Bar Le Zinc" in client.get(f"/r/{first}/").text
    page = client.get(f"/r/{second}/").text
    assert "Your team: Cuisine &lt;Nord&gt; &amp; Sud" in page and "Bar Le Zinc" not in page


def test_a_branding_change_shows_on_the_next_request(client, campaign, org, hr_user):
    _, token = personal_link(campaign, org["team"], side="client", language="en")
    assert "at Hôtels" not in client.get(f"/r/{token}/").text  # the blank page is cached

    brand(hr_user, organisation_name=ORG)
    assert "Bar Le Zinc at Hôtels Lumière" in client.get(f"/r/{token}/").text
    brand(hr_user, organisation_name="Lumière & fils")
    page = client.get(f"/r/{token}/").text
    assert "Bar Le Zinc at Lumière &amp; fils" in page and ORG not in page


def test_a_page_sent_back_with_errors_keeps_the_heading(client, campaign, org, branded):
    _, token = personal_link(campaign, org["team"], side="client", language="en")

    response = client.post(f"/r/{token}/", {})

    assert response.status_code == 400
    assert "Your opinion of the team Bar Le Zinc at Hôtels Lumière" in response.text


@pytest.mark.parametrize(
    ("lang", "thanks"),
    [
        ("fr", "Au nom de Hôtels Lumière, merci pour votre temps."),
        ("en", "On behalf of Hôtels Lumière, thank you for your time."),
    ],
)
def test_the_thank_you_page_carries_the_branding(client, campaign, org, branded, lang, thanks):
    _, token = personal_link(campaign, org["team"], language=lang)

    response = client.post(f"/r/{token}/", full_answers(campaign, "employee"), follow=True)

    page = response.text
    assert thanks in page
    assert 'class="respond-logo"' in page and f"<title>Questionnaire · {ORG}</title>" in page


def test_the_poster_shows_the_company_and_its_logo_not_the_campaign_label(
    client, hr_user, org, branded
):
    campaign = make_draft([org["team"]], name="Q3 interne", opens_in=1)
    services.campaign_launch(campaign=campaign)

    page = (
        logged_in(client, hr_user)
        .get(reverse("surveys:public_link_print", args=[campaign.slug, "lyon-reception"]))
        .text
    )

    assert f'<p class="organisation">{ORG}</p>' in page
    assert f'class="logo" src="/logo.png?v={branded.version}"' in page
    assert '<p class="campaign">' not in page
