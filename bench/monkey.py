"""The monkey: seeded random walks of keys through the secretary app and every kiosk.

A walk starts one app (the secretary app, or a kiosk) at one terminal size and language on a
copy of a data directory, opens each of its areas in turn, and presses keys chosen at random
(the same number on each area): the keys bound on
the screen in front of it, F-keys and F9, Tab, arrows, Enter, Esc, letters, digits, the
palette, Ctrl+S and Ctrl+Z, and typed words (ids and names from the store, ``[/``, CJK).
Any exception the app reports or dies of is a failure; a kiosk must still be running at the
end, and the store must open again afterwards. The walk is replayed from its seed.

The tests run one short walk per app, size and language, over every area
(:func:`short_walks`); ``make chaos`` one long walk per area, size and language
(:func:`long_walks`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from textual.app import App

from kiosk.base import KioskApp
from store.booking_calendar import BookingCalendar
from store.kiosk_pin import hash_pin
from kiosk.room_app import RoomKiosk
from kiosk.signin_app import SigninKiosk
from kiosk.supplies_app import SuppliesKiosk
from kiosk.survey_app import SurveyKiosk
from store import DocumentStore
from tui.app import AREAS, MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import KioskSettings, Settings

SECRETARY = "secretary"
KIOSK_APPS: dict[str, type[KioskApp]] = {"signin": SigninKiosk, "supplies": SuppliesKiosk,
                                           "survey": SurveyKiosk}
KIOSKS = (*KIOSK_APPS, "room")
DOOR = "room:hall"  # the demo's 报告厅, where today's 全体干部大会 meets
SIZES = ((80, 24), (120, 40))
LANGUAGES = ("zh", "en")
NOW = datetime(2026, 11, 25, 9, 30)  # the demo office's "today"
UNGUESSABLE_PIN = "monkeys never type this"

GENERAL_KEYS = (
    "tab", "shift+tab", "up", "down", "left", "right", "enter", "escape", "space",
    "backspace", "delete", "home", "end", "pageup", "pagedown",
    "ctrl+p", "ctrl+s", "ctrl+z", "ctrl+c", "ctrl+a", "ctrl+e", "ctrl+n", "ctrl+f", "ctrl+o",
    "ctrl+k", "ctrl+r", "f9", "f10", "f11", "f12",
)
AREA_KEYS = ("f1", "f2", "f3", "f4", "f5", "f6")
CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789[]/张三李四王五会议室借还-_.:@ "
TYPED = ("[/", "[/]", "欧阳[/b]娜娜", "[red]x[/red] [", "2026", "2026-11-25", "例会", "zs",
         "zhangsan", "kpi.xlsx", "a.csv", "../x", "-1", "99999999999999999999", "0")
QUITTING = {SECRETARY: ("ctrl+q", "ctrl+c")}  # the secretary may quit; the walk restarts it


@dataclass(frozen=True)
class Walk:
    target: str  # "secretary" or a kiosk name
    areas: tuple[str, ...]  # the secretary's areas the walk opens in turn (none for a kiosk)
    size: tuple[int, int]
    language: str
    seed: int
    keys: int

    def describe(self) -> str:
        where = "/".join((self.target, *self.areas))
        return (f"{where} {self.size[0]}x{self.size[1]} {self.language} "
                f"(MISHU_MONKEY_SEED={self.seed} MISHU_MONKEY_KEYS={self.keys})")


@dataclass
class WalkResult:
    walk: Walk
    keys_sent: int = 0
    screens: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)  # "Type: message" and the last frames
    restarts: int = 0
    still_running: bool = True
    store_opens: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and self.still_running and self.store_opens


def _walks(places: list[tuple[str, tuple[str, ...]]], seed: int, keys: int) -> list[Walk]:
    combos = [(target, areas, size, language) for target, areas in places for size in SIZES
              for language in LANGUAGES]
    return [Walk(target, areas, size, language, seed, keys)
            for target, areas, size, language in combos]


def short_walks(seed: int, keys: int) -> list[Walk]:
    """Per size and language: the secretary app over all its areas, and each kiosk."""
    return _walks([(SECRETARY, tuple(AREAS)), *((kiosk, ()) for kiosk in KIOSKS)], seed, keys)


def long_walks(seed: int, keys: int) -> list[Walk]:
    """Per size and language: one walk from each area of the secretary app, and each kiosk."""
    return _walks([*((SECRETARY, (area,)) for area in AREAS), *((kiosk, ()) for kiosk in KIOSKS)],
                  seed, keys)


def walk_settings(data_dir: Path) -> Settings:
    base = Settings().with_overrides(data_dir=str(data_dir))
    return replace(base, kiosk=replace(KioskSettings(), admin_pin_hash=hash_pin(UNGUESSABLE_PIN)))


def words_of(store: DocumentStore, rng: random.Random, count: int = 40) -> list[str]:
    """Things a person would type: member ids, badge tokens, item codes, names, from the store."""
    words: list[str] = []
    for kind, keys in (("member", ("qr_token", "name")), ("item", ("code", "name")),
                       ("asset", ("code", "tag"))):
        for doc in store.iter_docs(kind):
            words.append(doc["_id"].split(":", 1)[1])
            words.extend(doc[key] for key in keys if isinstance(doc.get(key), str))
    printable = [w for w in words if w.isprintable() and 0 < len(w) < 60]
    return rng.sample(printable, min(count, len(printable))) + list(TYPED)


def next_keys(rng: random.Random, app: App[object], words: list[str], target: str) -> list[str]:
    """One step of the walk: a single key, or a word typed (and sometimes entered)."""
    roll = rng.random()
    if roll < 0.25:
        bound = [key for key in app.active_bindings if key not in QUITTING.get(target, ())]
        if bound:
            return [rng.choice(bound)]
    if roll < 0.35:
        word = rng.choice(words)
        return [*word, "enter"] if rng.random() < 0.5 else list(word)
    if roll < 0.40:
        return [rng.choice(AREA_KEYS)]
    if roll < 0.70:
        return [rng.choice(GENERAL_KEYS)]
    return [rng.choice(CHARACTERS)]


def _make_app(walk: Walk, ctx: AppContext) -> App[object]:
    if walk.target == SECRETARY:
        return MishuApp(ctx)
    if walk.target == "room":
        # the demo's 报告厅, unless the hostile data deleted or spoiled it: it deletes the room
        # of the first booking by id, and booking ids are random, so then any room still valid
        rooms = ctx.index(BookingCalendar).rooms
        return RoomKiosk(ctx, rooms.get(DOOR) or rooms[min(rooms)])
    return KIOSK_APPS[walk.target](ctx)


def _describe(error: BaseException) -> str:
    frames = traceback.format_exception(error, limit=-3)
    return f"{type(error).__name__}: {str(error)[:200]}\n" + "".join(frames[-4:])


def area_and_quota(keys_sent: int, areas: Sequence[str], keys: int) -> tuple[str, int]:
    """The area the next key goes to and the count of keys sent when the walk moves on.

    Each area gets an equal share of the keys; the quota is rounded up, so it is always past
    ``keys_sent`` (rounded down, 30 keys over 8 areas gave the first area a quota of 3 that
    the third key had already reached, and the walk spun without pressing a key).
    """
    done = keys_sent * len(areas) // keys
    return areas[done], -(-(done + 1) * keys // len(areas))


async def _run_app(walk: Walk, result: WalkResult, store: DocumentStore, data_dir: Path,
                   rng: random.Random, words: list[str]) -> bool:
    """Press keys until the walk is done or the app ends; whether it ended by itself."""
    reported: list[BaseException] = []
    ctx = AppContext(settings=walk_settings(data_dir), store=store,
                     i18n=Translator(walk.language), clock=lambda: NOW)
    app = _make_app(walk, ctx)
    report: Callable[[BaseException], None] = app.report_error  # type: ignore[attr-defined]

    def recording(error: BaseException) -> None:
        reported.append(error)
        report(error)

    app.report_error = recording  # type: ignore[attr-defined]
    ended = False
    areas = walk.areas or ("",)
    try:
        async with app.run_test(size=walk.size) as pilot:
            while result.keys_sent < walk.keys and not reported and app.is_running:
                area, quota = area_and_quota(result.keys_sent, areas, walk.keys)
                if area:
                    app.switch_mode(area)
                    await pilot.pause()
                while result.keys_sent < quota and not reported and app.is_running:
                    result.screens.add(type(app.screen).__name__)
                    keys = next_keys(rng, app, words, walk.target)
                    await pilot.press(*keys)
                    result.keys_sent += len(keys)
            await pilot.pause()
            ended = not app.is_running
    except Exception as error:  # the app died of it
        result.errors.append(_describe(error))
    finally:
        ctx.close()
    result.errors.extend(_describe(error) for error in reported)
    return ended


async def run_walk(walk: Walk, data_dir: Path, work_dir: Path) -> WalkResult:
    """Walk on a copy of ``data_dir`` (made in ``work_dir``, also the working directory, so
    whatever the walk exports lands there)."""
    rng = random.Random(f"{walk.seed} {walk.target} {walk.areas} {walk.size} {walk.language}")
    copy = work_dir / "data"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data_dir, copy)
    result = WalkResult(walk)
    with contextlib.chdir(work_dir):
        store = DocumentStore.open(copy)
        try:
            words = words_of(store, rng)
            while result.keys_sent < walk.keys and not result.errors:
                ended = await _run_app(walk, result, store, copy, rng, words)
                if not ended:
                    break
                if walk.target != SECRETARY:
                    result.still_running = False
                    break
                if not result.errors:
                    result.restarts += 1
        finally:
            store.close()
        with DocumentStore.open(copy) as reopened:
            result.store_opens = reopened.doc_count > 0
    return result


@dataclass(frozen=True)
class MonkeyReport:
    keys_sent: int
    screens: int  # distinct screens and dialogs seen
    crashes: int  # walks with an error, a stopped kiosk or a store that would not open
    failures: list[str]


def monkey_chaos(seed: int, keys: int, work: Path, only: str = "") -> MonkeyReport:
    """``make chaos``: every long walk (those whose description holds ``only``) on one
    hostile office, summed up."""
    from .hostile_data import fill_hostile

    template = work / "hostile"
    with DocumentStore.open(template) as store:
        fill_hostile(store, today=NOW.date())
    keys_sent, screens, failures = 0, set[str](), []
    for walk in long_walks(seed, keys):
        if only not in walk.describe():
            continue
        walk_dir = work / "walk"
        walk_dir.mkdir(exist_ok=True)
        result = asyncio.run(run_walk(walk, template, walk_dir))
        keys_sent += result.keys_sent
        screens |= result.screens
        if not result.ok:
            failures.append(walk.describe() + ("\n" + "\n".join(result.errors[:1])))
        print(f"monkey: {walk.describe()}: {result.keys_sent} keys, "
              f"{'ok' if result.ok else 'FAILED'}", flush=True)
    return MonkeyReport(keys_sent, len(screens), len(failures), failures)


def main(argv: list[str]) -> int:
    """``python -m bench monkey [WALK]``: the long walks alone, to replay one from chaos;
    ``MISHU_MONKEY_SEED`` and ``MISHU_MONKEY_KEYS`` choose the seed and the walk's length."""
    seed = int(os.environ.get("MISHU_MONKEY_SEED", str(int(time.time()))))
    keys = int(os.environ.get("MISHU_MONKEY_KEYS", "300"))
    print(f"monkey seed {seed}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        report = monkey_chaos(seed, keys, Path(tmp), argv[0] if argv else "")
    print(f"keys sent {report.keys_sent} | screens {report.screens} | crashes {report.crashes}")
    for failure in report.failures:
        print(failure, file=sys.stderr)
    return 0 if report.crashes == 0 else 1
