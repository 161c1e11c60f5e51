"""On a phone-sized Chromium: answer with the keyboard only, answer as a client, answer twice."""

import pytest
from playwright.sync_api import expect

from conftest import screenshot
from surveys.models import Answer, Response
from surveys.tests.respond_helpers import open_campaign, personal_link, public_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(_browser, live_server):
    context = _browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    page.violations = []
    page.on("console", lambda message: page.violations.append(message.text))
    yield page
    context.close()


def focused_name(page):
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_an_employee_answers_everything_with_the_keyboard_only(phone, org):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"], language="fr")
    questions = list(campaign.questions.filter(side="employee").order_by("order"))
    phone.goto(f"{phone.base_url}/r/{token}/")
    screenshot(phone, "respond-phone-start")

    for question in questions:
        # Tab until the keyboard reaches this question's field.
        for _ in range(5):
            phone.keyboard.press("Tab")
            if focused_name(phone) == f"q{question.pk}":
                break
        assert focused_name(phone) == f"q{question.pk}", question.code
        if question.kind == "text":
            phone.keyboard.type("Plus de formations, s’il vous plaît")
        else:
            phone.keyboard.press("Space")  # the first choice: 0, or "strongly disagree"
            steps = 9 if question.kind == "nps" else 3  # to 9, or to "agree" (4)
            for _ in range(steps):
                phone.keyboard.press("ArrowRight")
    progress = phone.locator("[data-progress-count]").inner_text()
    assert progress == str(len(questions))
    screenshot(phone, "respond-phone-filled")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")

    phone.wait_for_url(f"{phone.base_url}/thanks/?lang=fr")
    assert phone.locator("h1").inner_text() == "Merci\u00a0!"
    screenshot(phone, "respond-phone-thanks")
    response = Response.objects.get()
    values = {a.question.code: a.value for a in Answer.objects.filter(response=response)}
    assert values["recommend"] == 9
    assert values["trust"] == 4
    assert Answer.objects.get(response=response, question__code="comment").text.startswith("Plus")
    assert [v for v in phone.violations if "Content Security Policy" in v] == []


def test_a_client_answers_from_the_public_link_in_english(phone, org):
    campaign = open_campaign(org)
    link = public_link(campaign, org["team"])
    phone.goto(f"{phone.base_url}/q/{link.token}/")
    phone.get_by_test_id("lang-en").click()
    assert phone.locator("html").get_attribute("lang") == "en"
    for fieldset in phone.locator("fieldset.question").all():
        labels = fieldset.locator("label")
        if fieldset.locator("textarea").count():
            continue
        labels.nth(labels.count() - 2).click()  # the scale's last real choice
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_url(f"{phone.base_url}/thanks/?lang=en")
    assert phone.locator("h1").inner_text() == "Thank you!"
    stored = Response.objects.get()
    assert (stored.side, stored.channel, stored.language) == ("client", "public", "en")


def test_answering_twice_through_one_link_is_refused(phone, org):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"])
    phone.goto(f"{phone.base_url}/r/{token}/")
    for fieldset in phone.locator("fieldset.question").all():
        if fieldset.locator("textarea").count() == 0:
            fieldset.locator("label").first.click()
    phone.get_by_role("button").click()
    phone.wait_for_url("**/thanks/**")

    phone.goto(f"{phone.base_url}/r/{token}/")
    assert "déjà répondu" in phone.locator("h1").inner_text()
    screenshot(phone, "respond-phone-already")
    assert Response.objects.count() == 1


def test_the_error_summary_takes_the_keyboard_to_the_question_to_fix(phone, org):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"], language="fr")
    questions = list(campaign.questions.filter(side="employee").order_by("order"))
    phone.goto(f"{phone.base_url}/r/{token}/")
    # The first question answered, then straight to the button: the rest is missing.
    for _ in range(5):
        phone.keyboard.press("Tab")
        if focused_name(phone) == f"q{questions[0].pk}":
            break
    phone.keyboard.press("Space")
    for _ in range(len(questions) + 5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.type") == "submit":
            break
    phone.keyboard.press("Enter")

    summary = phone.locator("#form-errors")
    summary.wait_for()
    assert phone.evaluate("document.activeElement.id") == "form-errors"
    missing = [q for q in questions[1:] if q.required]
    assert summary.get_by_role("link").count() == len(missing)
    assert "Choisissez un nombre de 0 à 10." in summary.inner_text()
    screenshot(phone, "respond-phone-errors")
    phone.keyboard.press("Tab")
    first = missing[0]
    assert phone.evaluate("document.activeElement.textContent") == (
        f"Question {questions.index(first) + 1}\u00a0: {first.text_fr}"
    )
    phone.keyboard.press("Enter")
    phone.wait_for_function(f"document.activeElement.name === 'q{first.pk}'")
    assert focused_name(phone) == f"q{first.pk}"
    expect(phone.locator(f"#fieldset-q{first.pk} legend")).to_be_in_viewport()
    screenshot(phone, "respond-phone-error-followed")
    assert Response.objects.count() == 0
