"""Child process of the crash loop: writes through the public store API and acknowledges.

Each line on stdout is printed only after the store call returned, so every line is a promise
the store made. The parent kills this process with SIGKILL at a random instant and checks that
every promise was kept. A tiny compaction threshold (8 KiB, whatever the snapshot size) keeps a
background compaction running most of the time, so that many kills land during one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from store import DocumentStore


def acknowledge(doc_id: str, rev: str, body: dict | None) -> None:
    sys.stdout.write(json.dumps({"id": doc_id, "rev": rev, "body": body}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    store = DocumentStore.open(args.data_dir, compact_min_bytes=8 * 1024, compact_ratio=0.0)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    serial = 0
    while True:
        serial += 1
        existing = store.ids_of_type("signin") + store.ids_of_type("loan")
        choice = rng.random()
        if choice < 0.15 and existing:
            doc_id = rng.choice(existing)
            rev = store.delete(doc_id, store.get(doc_id)["_rev"])
            acknowledge(doc_id, rev, None)
        elif choice < 0.45 and existing:
            doc_id = rng.choice(existing)
            body = {"edit": serial, "note": "备注" * rng.randint(0, 20)}
            rev = store.put({"_id": doc_id, "_rev": store.get(doc_id)["_rev"], **body})
            acknowledge(doc_id, rev, body)
        elif choice < 0.65:
            docs = [{"_id": f"loan:{args.seed}-{serial}-{n}", "asset": n, "member": "张三"}
                    for n in range(rng.randint(2, 20))]
            for doc, result in zip(docs, store.bulk_put(docs)):
                acknowledge(doc["_id"], result["rev"], {k: v for k, v in doc.items() if k != "_id"})
        else:
            doc_id = f"signin:{args.seed}:{serial}"
            body = {"member": f"2026{serial:04d}", "at": "2026-11-25T14:02", "pad": "x" * rng.randint(0, 400)}
            rev = store.put({"_id": doc_id, **body})
            acknowledge(doc_id, rev, body)


if __name__ == "__main__":
    main()
