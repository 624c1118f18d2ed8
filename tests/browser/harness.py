"""What the browser tests of the staff pages share: Chromium, signing in, layout and axe checks.

Chromium is /usr/bin/chromium and axe-core is the npm package that scripts/test
installs into ``var/axe/`` (git-ignored); either missing fails the tests, never
skips them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "var/axe/node_modules/axe-core/axe.min.js"

#: The widths the helpdesk is used at; the layout must hold at each.
WIDTH = 1280


def new_context(browser: Browser, *, width: int = WIDTH, **options) -> BrowserContext:
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": 900}, **options
    )
    context.set_default_timeout(10_000)
    return context


@contextmanager
def chromium_page(**options) -> Iterator[Page]:
    """A page in a fresh headless Chromium (``new_context`` options), closed afterwards.

    The ORM calls made while Playwright runs use connections of their own, which the
    test database's teardown would not close (PostgreSQL then refuses to drop it): they
    are closed here too. The caller sets ``DJANGO_ALLOW_ASYNC_UNSAFE`` (Playwright's sync
    API runs an event loop in the test's thread)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, **options)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            connections.close_all()


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


#: Every grid or flex container on the page: its visible children may not overlap, and
#: no child's content may spill out of it (unless the child scrolls by design).
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`);
  }
  const name = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (classes ? "." + classes.split(/\\s+/).join(".") : "");
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden"
      && box.width > 1 && box.height > 1
      && style.position !== "absolute" && style.position !== "fixed";
  };
  for (const container of document.querySelectorAll("body *")) {
    const display = getComputedStyle(container).display;
    if (!/(grid|flex)/.test(display) || !visible(container)) continue;
    const children = Array.from(container.children).filter(visible);
    for (let i = 0; i < children.length; i++) {
      const a = children[i].getBoundingClientRect();
      const child = children[i];
      const scrolls = /(auto|scroll|hidden)/.test(getComputedStyle(child).overflowX);
      if (!scrolls && child.scrollWidth > child.clientWidth + 1 && child.clientWidth > 0) {
        problems.push(`${name(child)} holds ${child.scrollWidth}px in ${child.clientWidth}px`);
      }
      for (let j = i + 1; j < children.length; j++) {
        const b = children[j].getBoundingClientRect();
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 1 && dy > 1) {
          problems.push(`${name(children[i])} overlaps ${name(children[j])} in ${name(container)}`);
        }
      }
    }
  }
  return problems;
}
"""


def layout_problems(page: Page) -> list[str]:
    """What is wrong with the layout of the page shown: overflow and overlapping boxes."""
    return page.evaluate(LAYOUT_PROBLEMS)


def axe_violations(page: Page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page shown."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
          });
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
          }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
