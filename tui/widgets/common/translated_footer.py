"""A Footer that shows binding descriptions in the user's language.

Bindings are declared with i18n keys as descriptions (``Binding("f2", …, "nav.directory")``),
and binding groups with an i18n key as their label (F1–F6 share one, ``nav.areas``, so the key
bar keeps room for the screen's own keys); this footer translates them each time it composes,
so a language switch only needs a recompose.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel


# Descriptions Textual itself gives its built-in bindings.
BUILT_IN = {"palette": "nav.palette"}


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        translate = self.app.ctx.i18n  # type: ignore[attr-defined]
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                key = BUILT_IN.get(widget.description, widget.description)
                if translate.has(key):
                    widget.description = translate(key)
            elif isinstance(widget, FooterLabel) and translate.has(str(widget.content)):
                widget.update(translate(str(widget.content)))
            yield widget
