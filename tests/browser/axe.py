"""axe-core in the page: the WCAG 2.1 A and AA rules, run by Playwright.

axe-core comes from the npm registry; ``scripts/test`` installs the pinned version into
``var/axe`` (git-ignored). The page's Content-Security-Policy allows no injected
script, so the browser context that runs axe is made with ``bypass_csp=True``.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_JS = (
    Path(__file__).resolve().parents[2] / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)
#: WCAG 2.0 and 2.1, levels A and AA.
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    """What axe finds on the page as it is now, as (rule, impact, elements) per violation."""
    if not AXE_JS.is_file():
        raise AssertionError(f"axe-core is missing at {AXE_JS}: scripts/test installs it (npm)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG21_AA
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "elements": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
    ]
