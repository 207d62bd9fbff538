"""Keyboard-only moves for browser tests (`from tests.browser.keyboard import ...`): the focus
moves with Tab only, so reaching an element proves it is reachable by keyboard."""

from __future__ import annotations


def tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key on {page.url}")


def type_into(page, element_id: str, text: str) -> None:
    """Tab to the field and type."""
    tab_to(page, element_id)
    page.keyboard.type(text)


def press_button(page, name: str | None = None, element_id: str | None = None) -> None:
    """Tab to the button with this accessible name (or this id), press Enter and wait for the
    next page."""
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement && document.activeElement.tagName === 'BUTTON' ? "
            "[document.activeElement.id, document.activeElement.innerText.trim()] : null"
        )
        if focused and (focused[0] == element_id if element_id else focused[1] == name):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"button {element_id or name!r} cannot be reached by Tab on {page.url}")
