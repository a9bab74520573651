"""What a person would read on the terminal: the current screen rendered to lines of text."""

from __future__ import annotations

from textual.app import App


def screen_lines(app: App[object]) -> list[str]:
    """Each terminal row of the top screen as the characters drawn there (CJK once each)."""
    update = app.screen._compositor.render_full_update()
    return ["".join(strip.text for strip in row) for row in update.strips]


def screen_text(app: App[object]) -> str:
    return "\n".join(screen_lines(app))
