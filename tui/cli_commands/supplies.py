"""``mishu labels assets|items --out FILE``: printable QR label sheets for the supply room."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from store.errors import ValidationError
from store.supplies_index import SupplyIndex

if TYPE_CHECKING:
    from tui.cli import CliContext


def print_labels(cli: CliContext, args: argparse.Namespace) -> int:
    from store.label_sheet import save_pages  # Pillow only when labels are printed
    from store.labels import label_pages

    t = cli.i18n
    if args.out.suffix.lower() not in (".pdf", ".png"):
        raise ValidationError("supplies.error.label_format", "Labels are written as .pdf or .png")
    with cli.open_store() as store:
        index = SupplyIndex.for_store(store)
        store.attach_index(index)
        if args.kind == "assets":
            records = [row.asset for row in index.asset_list()]
        else:
            records = [row.item for row in index.stock_list()]
    if not records:
        raise ValidationError("supplies.error.nothing_to_label", "There is nothing to label yet")
    settings = cli.settings.supplies
    pages = label_pages(records, args.columns or settings.label_columns,
                        args.rows or settings.label_rows)
    written = save_pages(pages, args.out)
    print(t("supplies.labels_written", count=len(records), pages=len(pages), path=written[0]),
          file=cli.out)
    return 0
