"""Keys that Windows Terminal, macOS Terminal or iTerm2 keep for themselves have a palette entry.

Windows Terminal takes F11 (full screen); Ctrl+Space switches the input method on Windows and
macOS (and Chinese users switch it all day); a Mac laptop sends F1–F12 as brightness, volume
and Mission Control keys unless fn is held; macOS terminals send Option+key as a character
unless "Use Option as Meta key" is set. Every action of ours (a binding described by a catalog
key) bound to such a key must also be in the command palette (Ctrl+P), which no terminal
takes. Textual's own editing keys in inputs (Alt+Backspace…) have Ctrl equivalents there.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from store import DocumentStore
from tui.app import AREAS, MishuApp
from tui.context import AppContext

SWALLOWED = {f"f{n}" for n in range(1, 13)} | {"ctrl+space"}


def swallowed(key: str) -> bool:
    return key in SWALLOWED or key.startswith("alt+")


async def test_every_action_on_a_swallowed_key_is_in_the_palette(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    store.put({"_id": "member:2026001", "name": "李四"})  # past the empty-store welcome
    ctx = make_ctx("zh")
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        for mode in AREAS:
            await app.switch_mode(mode)
            await pilot.pause()
            titles = {command.title for command in app.get_system_commands(app.screen)}
            bindings = [active.binding for active in app.screen.active_bindings.values()]
            checked = [b for b in bindings if isinstance(b, Binding) and swallowed(b.key)
                       and ctx.i18n.has(b.description)]
            assert checked, "the F-key navigation should be among the screen's bindings"
            missing = [b.key for b in checked if ctx.i18n(b.description) not in titles]
            assert missing == [], f"{mode}: no palette entry for {missing}"
