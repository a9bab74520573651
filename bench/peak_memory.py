"""The peak memory of this process, for the probes the benchmarks run in a fresh process.

``ru_maxrss`` is the obvious reading and the wrong one on Linux: a child started with vfork
(what :mod:`subprocess` uses) keeps the parent's high-water mark across exec, so a probe
spawned by a large benchmark process reported that process's memory (the bundle rows read
420 MB after other suites had run, 167 MB alone). ``VmHWM`` in ``/proc/self/status`` starts
afresh at exec; ``ru_maxrss`` stays the reading where there is no ``/proc`` (macOS, Windows
has neither and reports nothing).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    if STATUS.exists():
        found = re.search(r"VmHWM:\s+(\d+)", STATUS.read_text())
        if found:
            return int(found.group(1)) / 1024
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS
