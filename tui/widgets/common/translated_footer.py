"""A Footer that shows binding descriptions in the user's language, and only whole keys.

Bindings are declared with i18n keys as descriptions (``Binding("f2", …, "nav.directory")``),
and binding groups with an i18n key as their label (F1–F8 share one, ``nav.areas``, so the key
bar keeps room for the screen's own keys); this footer translates them each time it composes,
so a language switch only needs a recompose.

A compact group is shown as one range (``f1–f8 功能区``), not as its keys side by side
(``f1f2f3f4f5f6f7f8``, 16 cells at 80 columns). The keys that do not fit beside the palette key
are left out whole, last first, rather than drawn under it cut (``f9 中文 / Engl▏``): every key
is in the command palette, so nothing is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel


# Keys left out first when the bar is too narrow: quitting and the language have a well-known
# place in the palette; then the screen's own keys from the last; the range of the areas last,
# as it is how a newcomer finds the other screens.
LEFT_OUT_FIRST = ("quit", "toggle_language")

# Descriptions Textual itself gives its built-in bindings.
BUILT_IN = {"palette": "nav.palette"}


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        translate = self.app.ctx.i18n  # type: ignore[attr-defined]
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if widget.has_class("-grouped"):
                    ranged = self._as_range(widget)
                    if ranged is None:
                        continue
                    widget.key_display = ranged
                key = BUILT_IN.get(widget.description, widget.description)
                if translate.has(key):
                    widget.description = translate(key)
            elif isinstance(widget, FooterLabel) and translate.has(str(widget.content)):
                widget.update(translate(str(widget.content)))
            yield widget

    def _as_range(self, key: FooterKey) -> str | None:
        """``f1–f8`` for the first key of a compact group, ``None`` for its other keys."""
        shown = [active.binding for active in self.screen.active_bindings.values()
                 if active.binding.show]
        binding = next(binding for binding in shown if binding.key == key.key)
        if binding.group is None or not binding.group.compact:
            return key.key_display
        group = [other for other in shown if other.group is binding.group]
        if binding is not group[0]:
            return None
        return "–".join(dict.fromkeys(self.app.get_key_display(one) for one in (binding,
                                                                               group[-1])))

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)  # a wider bar shows again what was left out

    async def recompose(self) -> None:
        await super().recompose()
        self._leave_out_what_does_not_fit()

    def _leave_out_what_does_not_fit(self) -> None:
        palette = next(iter(self.query(".-command-palette")), None)
        # Widths from the content, not from the layout: a screen not on view (recomposed by a
        # language switch) has no layout yet; the bar spans the whole terminal
        room = self.app.size.width - (_width(palette) if palette is not None else 0)
        units: list[list[Widget]] = []  # a key, or a range with its label
        for child in self.children:
            if child is palette:
                continue
            if isinstance(child, FooterLabel) and units:
                units[-1].append(child)
            else:
                units.append([child])
        width = sum(_width(child) for unit in units for child in unit)
        first = [unit for unit in units if _action(unit) in LEFT_OUT_FIRST]
        ranges = [unit for unit in units if len(unit) > 1]  # the areas: kept the longest
        rest = [unit for unit in reversed(units) if unit not in first and unit not in ranges]
        for unit in [*first, *rest, *ranges]:
            if width <= room:
                break
            for child in unit:
                width -= _width(child)
                child.display = False


def _action(unit: list[Widget]) -> str:
    key = next(iter(unit[0].query(FooterKey)), unit[0])  # a range's key is inside its group
    return str(getattr(key, "action", ""))


def _width(widget: Widget) -> int:
    """Cells ``widget`` takes in the bar with its padding, border and margins."""
    size = widget.app.size
    styles = widget.styles
    return (widget.get_content_width(size, size) + styles.gutter.width + styles.margin.left
            + styles.margin.right)
