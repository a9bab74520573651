"""An ``argparse`` parser that speaks the user's language: its headings, help and errors.

argparse writes its own words through ``gettext``, which needs compiled ``.mo`` files per
domain; ours are TOML catalogs. So the parser takes a :class:`~tui.i18n.Translator` and uses it
where argparse lets a caller choose (the usage prefix, group titles, the ``-h`` help) and, for
errors, reads argparse's English message back against argparse's own templates
(:data:`ARGPARSE_MESSAGES`) and says it from the catalog. A message argparse adds later than
this table simply stays in English.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache, partial
from typing import Any, NoReturn

from .i18n import Translator

# argparse's templates (Python 3.11–3.13) → our catalog keys; placeholders become the key's.
ARGPARSE_MESSAGES = {
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "the following arguments are required: %(names)s": "cli.argparse.required",
    "unrecognized arguments: %(names)s": "cli.argparse.unrecognized",
    "invalid choice: %(value)s (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)s": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected %(count)s arguments": "cli.argparse.expected_count",
    "expected %(count)s argument": "cli.argparse.expected_count",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %(names)s": "cli.argparse.not_allowed_with",
    "one of the arguments %(names)s is required": "cli.argparse.one_required",
    "ignored explicit argument %(value)s": "cli.argparse.ignored_explicit",
}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"%\((\w+)\)s", template)
        regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                        for index, part in enumerate(parts))
        return re.compile(f"^{regex}$", re.DOTALL)

    return [(pattern(template), key) for template, key in ARGPARSE_MESSAGES.items()]


def translate_message(t: Translator, message: str) -> str:
    """argparse's English error in the active language; unknown messages are kept as they are."""
    for pattern, key in _patterns():
        found = pattern.match(message)
        if found is None:
            continue
        params = found.groupdict()
        if "message" in params:
            params["message"] = translate_message(t, params["message"])
        return t(key, **params)
    return message


class TranslatedHelpFormatter(argparse.HelpFormatter):
    """Our usage prefix; section headings end in the language's colon (argparse adds ``:``)."""

    def __init__(self, prog: str, usage_prefix: str = "usage: ", colon: str = ":",
                 **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._usage_prefix = usage_prefix
        self._colon = colon
        self._headings: list[str] = []

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self._usage_prefix if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._headings:
            text = text.replace(f"{heading}:\n", f"{heading}{self._colon}\n")
        return text


class TranslatedParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words come from the catalogs; subparsers inherit it."""

    def __init__(self, *args: Any, translator: Translator, **kwargs: Any) -> None:
        t = translator
        kwargs["add_help"] = False
        kwargs["formatter_class"] = partial(TranslatedHelpFormatter, usage_prefix=t("cli.usage"),
                                            colon=t("cli.heading_colon"))
        super().__init__(*args, **kwargs)
        self.translator = t
        self._positionals.title = t("cli.positionals")
        self._optionals.title = t("cli.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=t("cli.help"))

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction:  # type: ignore[type-arg]
        kwargs.setdefault("parser_class", partial(TranslatedParser, translator=self.translator))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = self.translator("cli.error", prog=self.prog,
                               message=translate_message(self.translator, message))
        self.exit(2, said + "\n")
