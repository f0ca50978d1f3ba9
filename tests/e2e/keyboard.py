"""What the browser tests of forms share: moving by keyboard alone, and axe's verdict."""

from axe_playwright_python.sync_playwright import Axe


def tab_to(page, selector, limit=60):
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by Tab")


def assert_no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
