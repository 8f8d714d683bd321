"""One frontend in one browser page: navigation under its base path, screenshots, axe-core."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontends" / "node_modules" / "axe-core" / "axe.min.js"
# Each frontend and the base path the gateway serves it at.
APPS = {"alpine": "", "svelte": "/svelte", "preact": "/preact", "solid": "/solid"}
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}"""


@dataclass
class ShopPage:
    page: Page
    app: str
    gateway_url: str
    out: Path
    prefix: str = "shop"
    shots: list[Path] = field(default_factory=list)
    axe_findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.gateway_url + APPS[self.app]

    def go(self, path: str = "/") -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        path = self.out / f"{self.app}-{self.prefix}-{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        self.shots.append(path)

    def check_a11y(self, name: str) -> None:
        """Run axe-core on the page as it is now; keep every finding, fail on serious ones."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE.read_text())
        found: list[dict[str, Any]] = self.page.evaluate(AXE_RUN)
        self.axe_findings[name] = found
        report = self.out / f"{self.app}-{self.prefix}-axe.json"
        report.write_text(json.dumps(self.axe_findings, indent=2))
        serious = [v for v in found if v["impact"] in SERIOUS]
        assert not serious, f"{self.app} {name}: axe found {json.dumps(serious, indent=2)}"


@contextlib.contextmanager
def open_shop(
    browser: Browser, app: str, gateway_url: str, out: Path, viewport: ViewportSize, prefix: str
) -> Iterator[ShopPage]:
    """A fresh browser context on one app; fails if the page threw an uncaught error."""
    # bypass_csp: axe-core is injected as an inline script, which the pages' CSP forbids.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Deleting asks "Delete …?" first.
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield ShopPage(page, app, gateway_url, out, prefix=prefix)
    finally:
        context.close()
    assert not errors, f"uncaught errors in the {app} page: {errors}"
