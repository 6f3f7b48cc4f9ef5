"""axe-core (npm, locked in tests/browser/package-lock.json) run inside a Playwright page.

`make test` installs it with `npm ci --prefix tests/browser`; without it these tests fail and say how to
install it rather than pass silently.
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci --prefix tests/browser` (make test does).")
    return AXE_JS.read_text(encoding="utf-8")


def blocking_violations(page, source: str) -> list[dict]:
    """The critical and serious WCAG 2.x A/AA violations axe finds on the page as shown now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)  # the test context bypasses the page's CSP for this
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + (n.failureSummary || "")),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in BLOCKING]
