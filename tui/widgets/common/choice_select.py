"""A Select over choices that may no longer hold the value a record names.

A record can name a choice that is gone: a room deleted on another node, an owner a peer
wrote, a value a newer version added. Textual refuses a Select whose value is not among its
options (``InvalidSelectValueError`` on mount), which would end the app; such a Select starts
blank instead, so the form opens and asks for a choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import Select


def choice_select(options: Sequence[tuple[Any, str]], value: str, **kwargs: Any) -> Select[str]:
    """``Select(options, value=value)``, blank (and allowed to be) when ``value`` is not an
    option or there are none."""
    known = value in {option for _, option in options}
    if not known:
        kwargs["allow_blank"] = True
    return Select(options, value=value if known else Select.NULL, **kwargs)
