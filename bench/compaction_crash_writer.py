"""Child process that kills itself at one step of a background compaction, mid-writing.

The writer puts documents with a tiny compaction threshold and acknowledges each on stdout
after the store returned. When the compaction reaches the chosen step the compaction thread
stops there (a crash "during" that step), the writer makes a few more acknowledged puts into
the new journal generation, and the process SIGKILLs itself. At "switched" the kill is
immediate, inside the write that crossed the threshold. The parent reopens and checks that
every acknowledged write is there.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from store import DocumentStore

KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
PUTS_AFTER_STEP = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--step", required=True,
                        choices=("switched", "written", "replaced", "done"))
    args = parser.parse_args()
    reached = threading.Event()
    never = threading.Event()

    def on_step(step: str) -> None:
        if step != args.step:
            return
        if step == "switched":
            os.kill(os.getpid(), KILL)
        reached.set()
        never.wait()  # the compaction thread stays at this step until the kill

    store = DocumentStore.open(args.data_dir, compact_min_bytes=4096, on_compaction_step=on_step)
    puts_after = 0
    serial = 0
    while puts_after < PUTS_AFTER_STEP:
        serial += 1
        if reached.is_set():
            puts_after += 1
        doc_id = f"signin:{serial}"
        rev = store.put({"_id": doc_id, "pad": "x" * 200, "serial": serial})
        sys.stdout.write(json.dumps({"id": doc_id, "rev": rev}) + "\n")
        sys.stdout.flush()
    os.kill(os.getpid(), KILL)


if __name__ == "__main__":
    main()
