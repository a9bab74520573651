"""What every service-desk pane declares (the desk screen lists the panes it shows).

A pane is a container widget that fills itself from the store; the desk screen gives it a
tab named by ``tab_key`` (an i18n key) with the id ``desk-<pane_id>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.containers import Vertical

if TYPE_CHECKING:
    from ...context import AppContext


class DeskPane(Vertical):
    tab_key: ClassVar[str]
    pane_id: ClassVar[str]

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    def t(self, key: str, **params: Any) -> str:
        return self.ctx.i18n(key, **params)
