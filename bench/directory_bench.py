"""Directory search with every reading of a name against the one-reading search, same run.

5 000 demo members (with the polyphone surnames 曾 单 仇 解 吕 among them) are fed to two
directories: one spelling names by :func:`store.textsearch.name_keys` (every reading, surname
readings first), the baseline by :func:`store.textsearch.search_keys` (one reading). Rows: the
p99 of 300 queries as people type them at the directory and the kiosk (characters, initials,
pinyin prefixes, other readings), and the size of the search keys each directory holds.
"""

from __future__ import annotations

import random
import sys
import time

from store.demo import demo_members
from store.members import Member, MemberDirectory
from store.textsearch import SearchKeys, name_keys, search_keys

from .archive_bench import percentile
from .table import BenchRow

MEMBERS = 5_000
QUERIES = 300
SEARCH_TARGET = 1.5  # every reading may cost at most this many times one reading, per query
SIZE_TARGET = 3.0  # and its keys may take at most this many times the space


def members(rng: random.Random) -> list[Member]:
    people = demo_members(rng, MEMBERS)
    return [Member(m.member_id, rng.choice("曾单仇解吕") + m.name[1:], m.department)
            if number % 10 == 0 else m for number, m in enumerate(people)]


def queries(rng: random.Random, people: list[Member]) -> list[str]:
    typed = []
    for number in range(QUERIES):
        keys = name_keys(rng.choice(people).name)
        spelling = rng.choice(keys.other_pinyin) if keys.other_pinyin else keys.pinyin
        typed.append([keys.text[:1], keys.text, keys.initials, keys.pinyin[:4], keys.pinyin,
                      spelling][number % 6])
    return typed


def key_bytes(keys: list[SearchKeys]) -> int:
    """The strings a directory holds to search by, as Python stores them."""
    return sum(sys.getsizeof(text) for k in keys
               for text in (k.text, k.pinyin, k.initials, *k.syllables, *k.other_pinyin,
                            *k.other_initials))


def p99_ms(directory: MemberDirectory, typed: list[str]) -> float:
    samples = []
    for query in typed:
        started = time.perf_counter()
        directory.search(query)
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.99)


def benchmarks() -> list[BenchRow]:
    rng = random.Random(2026)
    people = members(rng)
    typed = queries(rng, people)
    every, one = MemberDirectory(), MemberDirectory(reading=search_keys)
    for directory in (every, one):
        for member in people:
            directory.update(member.doc_id, {"_id": member.doc_id, **member.to_fields()})
    ours, base = p99_ms(every, typed), p99_ms(one, typed)
    size, base_size = key_bytes(every.search_keys()), key_bytes(one.search_keys())
    return [
        BenchRow(f"directory search p99, every reading ({QUERIES} queries, {MEMBERS} members)",
                 f"{ours:.1f} ms", f"{base:.1f} ms one reading", f"< {SEARCH_TARGET}× one reading",
                 ours < SEARCH_TARGET * base),
        BenchRow(f"directory search keys, every reading ({MEMBERS} members)",
                 f"{size / 1e6:.2f} MB", f"{base_size / 1e6:.2f} MB one reading",
                 f"< {SIZE_TARGET:.0f}× one reading", size < SIZE_TARGET * base_size),
    ]


if __name__ == "__main__":
    from .table import render

    print(render(benchmarks()))
