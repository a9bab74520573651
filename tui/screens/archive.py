"""The archive area. Placeholder until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import AreaScreen


class ArchiveScreen(AreaScreen):
    title_key = "nav.archive"

    def compose_body(self) -> ComposeResult:
        yield Static(self.t("common.coming"), classes="placeholder")
