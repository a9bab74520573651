"""The supplies area. Placeholder until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import AreaScreen


class SuppliesScreen(AreaScreen):
    title_key = "nav.supplies"

    def compose_body(self) -> ComposeResult:
        yield Static(self.t("common.coming"), classes="placeholder")
