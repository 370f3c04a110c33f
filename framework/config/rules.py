"""Rules a profile's values must follow so that each key can take effect.

Pure checks on the merged values of a profile (no I/O, nothing of pgtdd imported): each
returns the problem as a message starting with where the value was set, or ``None``;
:mod:`pgtdd.config.profile` raises it as a ``ProfileError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Keys a provider does not use: written in a profile file of that provider, they are an error
# (a key accepted and never applied would mislead). Inherited ones (``extends:``) are the
# parent's business: ``native`` extends ``container`` and leaves its image list alone.
UNUSED_BY: dict[str, frozenset[str]] = {
    "container": frozenset({"url", "pg_bin", "accept_marked"}),
    "external": frozenset(
        {
            "image",
            "host_port",
            "user",
            "password",
            "database",
            "tmpfs",
            "tmpfs_size",
            "network",
            "reuse",
            "pg_bin",
        }
    ),
    "native": frozenset({"image", "url", "network", "reuse", "tmpfs_size", "accept_marked"}),
}

# (section, key) -> (lowest value, why): values below are refused with the reason.
LOWEST: dict[tuple[str, str], tuple[float, str]] = {
    ("timeouts", "startup"): (0.001, "it bounds the whole start"),
    ("timeouts", "connect"): (2.0, "libpq waits at least 2 s for a connection"),
    ("timeouts", "statement"): (0.0, "0 turns the statement timeout off"),
    ("retry", "deadline"): (0.0, "0 means one attempt"),
    ("retry", "initial_wait"): (0.001, "the first pause between attempts"),
    ("retry", "max_wait"): (0.001, "the longest pause between attempts"),
}


def check(
    provider: str,
    values: Mapping[str, Any],
    sources: Mapping[str, str],
    *,
    own: str,
    pool: Mapping[str, Any],
    retry: Mapping[str, Any],
    fallback: str,
) -> str | None:
    """The first problem of a profile: a key its provider does not use written in its own file
    (sources starting with ``own``), pool sizes out of order, a time no server can honour.
    ``pool`` and ``retry`` are those sections with the defaults filled in."""
    return (
        unused_key(provider, sources, own)
        or pool_problem(pool, sources, fallback)
        or time_problem(values, retry, sources, fallback)
    )


def unused_key(provider: str, sources: Mapping[str, str], own: str) -> str | None:
    """A key written in the profile's own file that its provider does not use."""
    for key in sorted(UNUSED_BY.get(provider, frozenset())):
        where = sources.get(key, "")
        if where.startswith(own):
            hint = " (put the port in url)" if key == "host_port" else ""
            article = "an" if provider[:1] in "aeiou" else "a"
            return (
                f"{where}: {key} does not apply to {article} {provider} profile{hint}; "
                "remove it, or use a provider that uses it"
            )
    return None


def pool_problem(pool: Mapping[str, Any], sources: Mapping[str, str], fallback: str) -> str | None:
    """Pool sizes out of order, a negative ceiling, a wait that is not positive."""
    if pool["max_size"] < 1 or not 0 <= pool["min_size"] <= pool["max_size"]:
        where = sources.get("pool.min_size") or sources.get("pool", fallback)
        return (
            f"{where}: pool needs 0 <= min_size ({pool['min_size']}) <= max_size "
            f"({pool['max_size']}) and max_size >= 1"
        )
    if pool["max_connections"] < 0 or pool["acquire_timeout"] <= 0:
        where = sources.get("pool", fallback)
        return (
            f"{where}: pool.max_connections must be >= 0 (0: no limit of pgtdd's own) and "
            "pool.acquire_timeout > 0"
        )
    return None


def time_problem(
    values: Mapping[str, Any],
    retry: Mapping[str, Any],
    sources: Mapping[str, str],
    fallback: str,
) -> str | None:
    """A timeout or retry value below what can take effect, or back-off bounds reversed."""
    for (section, key), (lowest, why) in LOWEST.items():
        value = values.get(section, {}).get(key)
        if value is not None and value < lowest:
            where = sources.get(f"{section}.{key}", fallback)
            return f"{where}: {section}.{key} must be >= {lowest:g} ({why}), got {value}"
    if retry["initial_wait"] > retry["max_wait"]:
        where = sources.get("retry.initial_wait") or sources.get("retry", fallback)
        return (
            f"{where}: retry.initial_wait ({retry['initial_wait']}) must not exceed "
            f"retry.max_wait ({retry['max_wait']})"
        )
    return None
