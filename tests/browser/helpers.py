"""What the browser tests do again and again: read a CSV download, move by keyboard, run axe."""

import csv
import io

from playwright.sync_api import Download, Locator, Page

BOM = "\ufeff"

# The element holding the keyboard focus, and whether a sighted user can see it.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''),
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    boxShadow: style.boxShadow !== 'none',
  };
}"""

# Impacts that fail a page; "minor" and "moderate" findings are reported, not fatal.
BLOCKING_IMPACTS = {"serious", "critical"}


def read_csv_download(download: Download) -> list[dict[str, str]]:
    """Rows of a downloaded export, checking the French-spreadsheet conventions on the way."""
    raw = download.path().read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith(BOM), "l'export doit commencer par un BOM UTF-8"
    assert "\r\n" in text, "l'export doit utiliser des fins de ligne CRLF"
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


def card_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".cards .card-title").all_inner_texts()]


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUS_JS)


def assert_focus_visible(page: Page) -> dict:
    info = focused(page)
    assert info is not None, "le focus clavier a quitté la page"
    assert info["focusVisible"], f"focus non signalé comme visible : {info}"
    assert info["outline"] or info["boxShadow"], f"focus invisible (ni contour ni ombre) : {info}"
    return info


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> list[dict]:
    """Press Tab until `target` has the focus, checking every stop shows a visible focus.

    Returns the stops passed through; fails if `target` is not reached within `limit` presses.
    """
    target.wait_for()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(assert_focus_visible(page))
        if is_focused(target):
            return stops
    raise AssertionError(f"{target} injoignable au clavier en {limit} tabulations : {stops}")


def axe_violations(page: Page, axe_path: str) -> list[dict]:
    """Serious or critical axe-core violations on the current page, as short dicts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=axe_path)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "page": page.url,
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
