"""Where the reusable containers' records live and what they are keyed by: the server's
command line and the profile's settings. No I/O beyond paths and no psycopg, so the pytest
plugin can look for a `pgtdd up` container at start-up without loading the client layer."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from pgtdd.config.profile import Profile, size_bytes
from pgtdd.providers.engine import engine_address


def server_command(profile: Profile) -> list[str]:
    """``postgres -c name=value ...`` for the profile's server settings.

    With a bounded tmpfs and no ``max_wal_size`` in the profile, the WAL gets an eighth of it:
    PostgreSQL's default (1GB) could fill a small tmpfs with WAL, and a WAL write that fails
    stops the server (PANIC) where a data file that cannot grow only fails the statement.
    """
    # marked as a test server: the `local` profile (accept_marked) trusts it (pgtdd up)
    command = ["postgres", "-c", "pgtdd.test_server=on"]
    for name, value in profile.server_settings.items():
        command += ["-c", f"{name}={value}"]
    limit = size_bytes(profile.tmpfs_size) if profile.tmpfs else 0
    if limit and "max_wal_size" not in profile.server_settings:
        command += ["-c", f"max_wal_size={max(32, limit // 8 // 1024**2)}MB"]
    return command


def state_dir() -> Path:
    """Where the records live: ``$PGTDD_STATE_DIR``, else ``$XDG_CACHE_HOME/pgtdd/reuse``."""
    explicit = os.environ.get("PGTDD_STATE_DIR")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "pgtdd" / "reuse"


def server_material(profile: Profile) -> list[object]:
    """The settings that make a reusable server what it is (its key and its record's name
    add where it runs: the image id and network, or the engine and the image list)."""
    return [
        profile.version,
        server_command(profile),
        profile.user,
        profile.password,
        profile.database,
        profile.tmpfs,
        profile.tmpfs_size,
    ]


def record_path(profile: Profile) -> Path:
    """The record of ``profile``'s reusable container (the profile without the image id)."""
    where = [engine_address(), profile.network, list(profile.image)]
    material = json.dumps([*where, *server_material(profile)])
    return state_dir() / f"{hashlib.sha256(material.encode()).hexdigest()[:16]}.json"


def write_record(path: Path, record: Mapping[str, object]) -> None:
    """Write ``record`` as JSON at ``path``, atomically: a concurrent reader sees the old or
    the new one (raises ``OSError``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record))
    temporary.replace(path)
