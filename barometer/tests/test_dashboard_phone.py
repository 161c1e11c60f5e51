"""In a real Chromium, on a phone (390 × 844) and a laptop (1366 × 768), in French and
English: every dashboard reads without scrolling sideways, and no text is cut, the
charts' own labels included."""

import pytest

from barometer.tests.test_dashboard_browser import organisation, real_problems, sign_in, watch
from conftest import screenshot

# A browser test: in the PostgreSQL pass only, to keep `make test` short.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

SCREENS = {"phone": (390, 844), "laptop": (1366, 768)}

# Every rendered text of the page (HTML text nodes and the charts' SVG texts) whose box
# leaves the viewport sideways, or the box of an ancestor that clips (overflow other than
# visible, or the chart's own <svg>). Texts not rendered (a closed <details>, hidden for
# screen readers only, plotly's empty hover layer) have no box and are left out.
CLIPPED = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const inside = (r, c) => r.left >= c.left - 1.5 && r.right <= c.right + 1.5
    && r.top >= c.top - 1.5 && r.bottom <= c.bottom + 1.5;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element) continue;
    const skipped = ".visually-hidden, .visually-hidden-focusable, script, template, .hoverlayer";
    if (element.closest(skipped)) continue;
    if (element.closest("details:not([open])") && !element.closest("summary")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    for (const box of boxes) {
      const what = node.textContent.trim().slice(0, 40);
      if (box.left < -1.5 || box.right > width + 1.5) {
        found.push(`${what}: outside the viewport (${box.left} to ${box.right})`);
        continue;
      }
      for (let parent = element; parent !== document.body; parent = parent.parentElement) {
        const svg = parent.namespaceURI === "http://www.w3.org/2000/svg";
        const clips = svg ? parent.tagName === "svg" && !parent.parentElement.closest("svg")
          : getComputedStyle(parent).overflowX !== "visible";
        if (clips && !inside(box, parent.getBoundingClientRect())) {
          const name = parent.className.baseVal ?? parent.className;
          found.push(`${what}: cut by its ${parent.tagName.toLowerCase()}.${name}`);
          break;
        }
      }
    }
  }
  return found;
}"""


def check(page, name):
    page.wait_for_function(
        "[...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn === 'true')",
        timeout=60000,
    )
    screenshot(page, name)
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    cut = page.evaluate(CLIPPED)
    assert cut == [], (name, sorted(set(cut)))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_dashboards_fit_the_screen_and_cut_no_text(page, hr_user, org, screen, language):
    campaign = organisation(org)[-1]
    problems = watch(page)
    page.set_viewport_size(dict(zip(("width", "height"), SCREENS[screen], strict=True)))
    sign_in(page, hr_user, language=language)
    for path, name in (
        (f"/dashboards/{campaign.slug}/", "overview"),
        (f"/dashboards/{campaign.slug}/teams/lyon-reception/", "team"),
        (f"/dashboards/{campaign.slug}/teams/paris-3/", "team-hidden-side"),
    ):
        page.goto(page.base_url + path, timeout=60000)
        check(page, f"{screen}-{language}-{name}")
    assert real_problems(problems) == []
