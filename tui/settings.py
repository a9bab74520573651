"""Typed settings, parsed once from config.toml at the CLI edge and passed down.

Each ``[section]`` of the file maps to one frozen dataclass; a missing key takes the default
shown in the shipped config.toml, an unknown key or a value of the wrong type is a clear error
naming the key (a typo in a kiosk PIN setting must not silently fall back to a default).
"""

from __future__ import annotations

import dataclasses
import os
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from store.archive_numbering import NumberingScheme, parse_category_patterns
from store.desk_approvals import ApprovalRoles
from store.desk_requests import Promise, parse_promises
from store.errors import StoreError
from store.evaluation import Weights
from store.platform import Platform
from sync.hub_settings import HubSettings, hub_settings


class ConfigError(StoreError):
    key = "error.config"
    english = "Configuration problem in {path}: {reason}"


@dataclass(frozen=True)
class GeneralSettings:
    data_dir: str = ""  # empty: the platform's default (see Settings.data_dir)
    node_name: str = ""
    language: str = "auto"
    log_level: str = "INFO"


@dataclass(frozen=True)
class SyncConfig:
    listen_host: str = "0.0.0.0"
    listen_port: int = 6984
    discovery: bool = True
    static_peers: list[str] = field(default_factory=list)
    listen_local: str = ""
    hubs: tuple[HubSettings, ...] = ()  # [[sync.hubs]]: CouchDB hubs to push to and pull from


@dataclass(frozen=True)
class KioskSettings:
    admin_pin_hash: str = ""
    name: str = ""  # the door this kiosk stands at ("西门"), shown beside its scans
    stale_after_minutes: int = 10  # no peer for this long: the kiosk says "data as of 13:52"
    idle_reset_seconds: int = 20
    repeat_scan_seconds: float = 5.0
    scanner_gap_ms: int = 80  # a reader's keys come closer than this; this long quiet ends a scan
    room_checkin_minutes: int = 15  # a room-door kiosk releases a booking not checked in by then


@dataclass(frozen=True)
class BookingSettings:
    confirm_within_hours: int = 4
    a_class_notice_hours: int = 24
    day_start_hour: int = 8
    day_end_hour: int = 22


@dataclass(frozen=True)
class MeetingSettings:
    late_grace_minutes: int = 5
    minutes_draft_hours: int = 24
    minutes_final_hours: int = 48
    manual_signin_opens_minutes: int = 30


@dataclass(frozen=True)
class SupplySettings:
    default_loan_days: int = 14
    # a reservation nobody collected this long after its start is released (store.reservation_pickup)
    reservation_collect_minutes: int = 60
    label_columns: int = 3
    label_rows: int = 8


@dataclass(frozen=True)
class ArchiveSettings:
    org: str = "校学生会"
    categories: list[str] = field(
        default_factory=lambda: ["发文", "收文", "会议纪要", "合同", "财务", "人事"]
    )
    number_pattern: str = ""  # empty: each category its own (store.archive_numbering)
    category_patterns: list[str] = field(default_factory=list)  # "合同={org}合〔{year}〕{seq}号"
    attachment_max_mb: int = 50

    def scheme(self) -> NumberingScheme:
        """How this office renders archive numbers."""
        return NumberingScheme(self.org, self.number_pattern,
                               parse_category_patterns(self.category_patterns))


@dataclass(frozen=True)
class DocumentSettings:
    signoff_roles: list[str] = field(default_factory=lambda: ["主席", "副主席", "秘书长"])
    category: str = "发文"  # the archive category (and so the numbering) of issued documents


@dataclass(frozen=True)
class DeskSettings:
    """The service desk: promised response times per kind of request, approvers by role."""

    promises: dict[str, str] = field(default_factory=lambda: {
        "场地": "4h", "物资": "24h", "公文审核": "24h", "初稿": "3wd", "其他": "3wd"})
    leave_approvers: list[str] = field(default_factory=lambda: ["秘书长", "副秘书长"])
    expense_first_approvers: list[str] = field(default_factory=lambda: ["秘书长", "副秘书长"])
    expense_finance_approvers: list[str] = field(default_factory=lambda: ["财务部部长"])
    receipt_max_mb: int = 20
    promise_spans: dict[str, Promise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # parsed here, once: a typo ("4hours") is a config error at start, not a crash later
        object.__setattr__(self, "promise_spans", parse_promises(self.promises))

    @property
    def roles(self) -> ApprovalRoles:
        return ApprovalRoles(tuple(self.leave_approvers), tuple(self.expense_first_approvers),
                             tuple(self.expense_finance_approvers))


@dataclass(frozen=True)
class SurveySettings:
    answer_key: str = ""  # the same on every answering node; see store.survey_key


@dataclass(frozen=True)
class EvaluationSettings(Weights):
    """The weights of the evaluation's parts (inherited from store.evaluation.Weights: a part
    without figures for a member drops out and the others fill its weight), and who sees and
    enters the scores heads give by hand."""

    presidium_roles: list[str] = field(default_factory=lambda: ["主席", "副主席", "主席团"])
    head_roles: list[str] = field(default_factory=lambda: ["部长", "副部长"])


@dataclass(frozen=True)
class OperatorSettings:
    member_id: str = ""  # who uses this machine's app: the author of what they enter


@dataclass(frozen=True)
class Settings:
    general: GeneralSettings = field(default_factory=GeneralSettings)
    sync: SyncConfig = field(default_factory=SyncConfig)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    booking: BookingSettings = field(default_factory=BookingSettings)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    supplies: SupplySettings = field(default_factory=SupplySettings)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    desk: DeskSettings = field(default_factory=DeskSettings)
    survey: SurveySettings = field(default_factory=SurveySettings)
    evaluation: EvaluationSettings = field(default_factory=EvaluationSettings)
    operator: OperatorSettings = field(default_factory=OperatorSettings)

    @property
    def data_dir(self) -> Path:
        """The configured directory, else ``./data`` (``%LOCALAPPDATA%\\mishu`` on Windows)."""
        if self.general.data_dir:
            return Path(self.general.data_dir)
        return Platform.detect().default_data_dir()

    @property
    def node_name(self) -> str:
        return self.general.node_name or socket.gethostname()

    @property
    def kiosk_name(self) -> str:
        """The kiosk's door name; this machine's node name when none is configured."""
        return self.kiosk.name or self.node_name

    def language(self) -> str:
        """``zh`` or ``en``: the configured language, or the one LANG asks for."""
        chosen = self.general.language
        if chosen in ("zh", "en"):
            return chosen
        for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = os.environ.get(variable, "")
            if value:
                return "zh" if value.lower().startswith("zh") else "en"
        return "en"

    def with_overrides(
        self, *, data_dir: str | None = None, language: str | None = None
    ) -> Settings:
        general = self.general
        if data_dir is not None:
            general = dataclasses.replace(general, data_dir=data_dir)
        if language is not None:
            general = dataclasses.replace(general, language=language)
        return dataclasses.replace(self, general=general)


def _check_type(expected: Any, value: Any) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    if expected == list[str]:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if expected == dict[str, str]:
        return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    return False


def _section(cls: type[Any], raw: Any, path: Path, name: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(path=str(path), reason=f"[{name}] must be a table")
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in hints:
            raise ConfigError(path=str(path), reason=f"unknown setting {name}.{key}")
        if hints[key] == tuple[HubSettings, ...]:
            values[key] = _hubs(value, path, f"{name}.{key}")
            continue
        if not _check_type(hints[key], value):
            raise ConfigError(path=str(path), reason=f"{name}.{key} has the wrong type")
        values[key] = value
    try:
        return cls(**values)
    except ValueError as exc:  # a value of the right type that its section cannot read
        raise ConfigError(path=str(path), reason=f"[{name}] {exc}") from None


@dataclass(frozen=True)
class _HubEntry:
    """One ``[[sync.hubs]]`` table as written; the password is read from its file."""

    url: str = ""
    user: str = ""
    password_file: str = ""
    ca_file: str = ""


def _hubs(raw: Any, path: Path, name: str) -> tuple[HubSettings, ...]:
    """Each hub checked here, once: its URL, its user, a password file only its owner reads."""
    if not isinstance(raw, list):
        raise ConfigError(path=str(path), reason=f"{name} must be written as [[{name}]] tables")
    entries = [_section(_HubEntry, table, path, name) for table in raw]
    for entry in entries:
        if not entry.password_file:
            raise ConfigError(path=str(path), reason=f"{name}: password_file is required")
    return tuple(hub_settings(entry.url, entry.user, Path(entry.password_file), entry.ca_file)
                 for entry in entries)


def load_settings(path: Path | None) -> Settings:
    """Settings from ``path`` (defaults when it is None or does not exist)."""
    if path is None or not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path=str(path), reason=str(exc)) from None
    sections = {}
    hints = get_type_hints(Settings)
    for name, value in raw.items():
        if name not in hints:
            raise ConfigError(path=str(path), reason=f"unknown section [{name}]")
        sections[name] = _section(hints[name], value, path, name)
    language = sections.get("general", GeneralSettings()).language
    if language not in ("auto", "zh", "en"):
        raise ConfigError(path=str(path), reason="general.language must be auto, zh or en")
    return Settings(**sections)
