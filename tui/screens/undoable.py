"""An area screen whose destructive actions ask first and whose last one Ctrl+Z takes back.

A screen describes each way of doing a destructive action as an :class:`Undoable`: the button
label, the ids of every document it may write (known before it runs), the call that does it,
and for an action that records a new fact (a write-off movement) how to read the new
document's id from what the call returns: undoing deletes that document. :meth:`UndoableScreen.confirm_then` shows the :class:`ConfirmDialog`; the chosen action
runs after a :func:`store.undo.snapshot` of those documents, and Ctrl+Z writes the snapshot
back (an ordinary edit that replicates, see :mod:`store.undo`). One slot per screen: the
secretary undoes the last thing done *here*, not something done in another area.
:class:`Undoing` carries the behaviour for dialogs too (the archive record's own actions, the
double-booking dialog); a dialog also hands its step to the screen it was opened over, so the
undo outlives the dialog. Textual reads ``BINDINGS`` only from widget classes, so each user
declares :data:`UNDO`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen

from store.errors import StoreError
from store.undo import Snapshot, restore, snapshot

from ..widgets.common.confirm_dialog import Choice, ConfirmDialog
from .base import AreaScreen


@dataclass(frozen=True)
class Undoable:
    label: str  # the button, translated: "Only 2026-12-07"
    doc_ids: tuple[str, ...]  # every document the action may write
    run: Callable[[], object]
    done: str  # translated: what was done, for the notice and for "Undone: …"
    made: Callable[[Any], Iterable[str]] = lambda _result: ()  # ids ``run`` created


@dataclass(frozen=True)
class UndoStep:
    done: str
    before: Snapshot


UNDO = Binding("ctrl+z", "undo", "common.undo", show=False)


class Undoing:
    """Confirm-then-run with a one-step undo, for a screen or dialog that has ``ctx``."""

    last_undo: UndoStep | None = None

    def confirm_then(self, title: str, actions: Sequence[Undoable], detail: str = "",
                     items: Iterable[str] = (), lines: Sequence[Text] = ()) -> None:
        """Ask (naming what will change); run the chosen action and keep it for Ctrl+Z."""
        choices = [Choice(str(number), action.label) for number, action in enumerate(actions)]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.run_undoable(actions[int(key)])

        self.app.push_screen(ConfirmDialog(title, choices, detail, list(items), lines), chosen)

    def run_undoable(self, action: Undoable) -> None:
        before = snapshot(self.ctx.store, action.doc_ids)
        try:
            result = action.run()
        except StoreError as error:
            self._refused(error)
            return
        created = tuple((doc_id, None) for doc_id in action.made(result))
        self.remember(UndoStep(action.done, Snapshot(before.bodies + created)))
        self.notify(self.ctx.i18n("common.undo_hint", what=action.done))
        self.after_undoable()

    def remember(self, step: UndoStep) -> None:
        """Keep ``step`` for Ctrl+Z here, and, from a dialog, on the screen beneath it."""
        self.last_undo = step
        if isinstance(self, ModalScreen):
            beneath = [screen for screen in self.app.screen_stack[:-1]
                       if isinstance(screen, Undoing)]
            if beneath:
                beneath[-1].last_undo = step

    def action_undo(self) -> None:
        step = self.last_undo
        if step is None:
            self.notify(self.ctx.i18n("common.nothing_to_undo"))
            return
        try:
            restore(self.ctx.store, step.before)
        except StoreError as error:
            self._refused(error)
            return
        self.last_undo = None
        self.notify(self.ctx.i18n("common.undone", what=step.done))
        self.after_undoable()

    def _refused(self, error: StoreError) -> None:
        self.notify(self.ctx.i18n.error(error), severity="error", timeout=8)

    def after_undoable(self) -> None:
        """Show the new state; screens that do not follow the store's changes refresh here."""


class UndoableScreen(Undoing, AreaScreen):
    BINDINGS = [UNDO]
