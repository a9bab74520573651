"""One asset lent to two people on two offline nodes: both loans side by side; settle one.

Whoever does not actually have the asset gets a return recorded for their loan (an ordinary
event, so the settlement replicates to every node) and the clash leaves the inbox.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from store.supplies import Loan
from store.supplies_desk import Actor, close_loan
from store.supplies_index import SupplyIndex

from ...plain_text import plain
from ...screens.base import Dialog


class DoubleLoanDialog(Dialog[bool]):
    """Dismisses with True once one of the loans was closed."""

    DEFAULT_CLASSES = "form-dialog"
    BINDINGS = [("escape", "close", "common.close")]

    def __init__(self, loan_ids: tuple[str, ...]) -> None:
        super().__init__()
        self.loan_ids = loan_ids

    def _loans(self) -> list[Loan]:
        loans = self.ctx.index(SupplyIndex).loans
        return [loans[loan_id] for loan_id in self.loan_ids if loan_id in loans]

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        index = self.ctx.index(SupplyIndex)
        loans = self._loans()
        asset = index.assets.get(loans[0].asset_id) if loans else None
        with Vertical():
            yield Static(plain(t("supplies.double_loan.title",
                                 asset=f"{asset.tag} {asset.name}" if asset else "?")),
                         classes="dialog-title")
            yield Static(t("supplies.double_loan.help"))
            for number, loan in enumerate(loans):
                member = self.ctx.directory.by_id(loan.member_id)
                who = f"{member.name} ({loan.member_id})" if member else loan.member_id
                yield Static(plain(t("supplies.double_loan.side", number=number + 1, who=who,
                                     at=loan.at.replace("T", " "), node=loan.node or "?")))
                with Horizontal(classes="buttons"):
                    yield Button(t("supplies.double_loan.returned"), id=f"return-{number}",
                                 variant="warning")
            with Horizontal(classes="buttons"):
                yield Button(t("common.close"), id="close")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        action, _, number = (event.button.id or "").partition("-")
        if action != "return":
            self.dismiss(False)
            return
        loan = self._loans()[int(number)]
        close_loan(self.ctx.store, loan, Actor(self.ctx.clock(), self.ctx.settings.node_name))
        self.notify(self.ctx.i18n("supplies.double_loan.resolved"))
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
