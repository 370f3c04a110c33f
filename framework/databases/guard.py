"""The test-database guard: destructive fixtures only ever touch a server meant for tests.

A server is allowed when one of these holds:

1. this session provisioned it (a ``container`` or ``native`` server started by pgtdd);
2. ``PGTDD_ALLOW_DATABASE`` lists it: ``host:port/database`` entries, separated by commas or
   spaces; ``host:port/*`` allows every database of that server;
3. the profile says ``test_database: true`` (the built-in ``local`` profile does) and the host and
   database names do not look like production (``prod``, ``production``, ``prd`` as a word).
   A production-looking name needs the explicit ``PGTDD_ALLOW_DATABASE`` entry.

Anything else raises :class:`UnsafeDatabaseError`, whose message names the server (password
masked) and both ways to allow it. The check needs no connection: it runs before pgtdd connects
to an external server at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pgtdd.config.profile import Profile
from pgtdd.config.settings import Settings, current, replace_active
from pgtdd.serverinfo import DEFAULT_URL, ServerInfo, ServerURLError, parse_url

ALLOW_ENV = "PGTDD_ALLOW_DATABASE"
PROVISIONED_PROVIDERS = frozenset({"container", "native"})
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "ip6-localhost"})
_PRODUCTION = re.compile(r"(?<![a-z])(?:production|prd)(?![a-z])")
# ``prod`` inside a word (proddb, pgprod, prodreplica) but not as the start of an English
# word (product, produce, reproduce, prodigy, prodding).
_PROD_IN_WORD = re.compile(r"prod(?!uc|ig|d(?:ed|ing|er)\b)|production(?!s)")
_WORD = re.compile(r"[a-z]+")
_ENTRY = re.compile(r"^(?P<host>\[[^\]]+\]|[^:/\s]+):(?P<port>\d{1,5})/(?P<db>[^/\s]+)$")

# host:port of servers provisioned by this process (registered by ensure_test_database).
_session_servers: set[tuple[str, int]] = set()


class UnsafeDatabaseError(RuntimeError):
    """The server is not known to be a test database; destructive fixtures refuse it."""


@dataclass(frozen=True)
class Verdict:
    """The guard's decision for one server and the reason, in words."""

    allowed: bool
    reason: str
    fix: str = ""

    @property
    def message(self) -> str:
        """The reason and the fix, as one message."""
        return f"{self.reason} {self.fix}".strip()


@dataclass(frozen=True)
class AllowEntry:
    """One ``host:port/database`` entry of ``PGTDD_ALLOW_DATABASE`` (database may be ``*``)."""

    host: str
    port: int
    database: str

    def matches(self, host: str, port: int, database: str) -> bool:
        """Whether this entry names the server ``host:port`` and its ``database``."""
        return (
            _canonical_host(self.host) == _canonical_host(host)
            and self.port == port
            and self.database in ("*", database)
        )


def database_key(host: str, port: int, database: str) -> str:
    """``host:port/database``: how a server is named in messages and in ``PGTDD_ALLOW_DATABASE``."""
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}/{database}"


def parse_allow_list(text: str) -> list[AllowEntry]:
    """The entries of a ``PGTDD_ALLOW_DATABASE`` value; a malformed entry raises, named."""
    entries = []
    for raw in re.split(r"[,\s]+", text.strip()):
        if not raw:
            continue
        match = _ENTRY.match(raw)
        if match is None or "@" in raw:
            raise UnsafeDatabaseError(
                f"{ALLOW_ENV} entry {_safe_entry(raw)!r} is not host:port/database "
                "(e.g. db.test.internal:5432/app_test, or host:port/* for every database of "
                "that server); entries are separated by commas or spaces"
            )
        entries.append(
            AllowEntry(match["host"].strip("[]"), int(match["port"]), unquote(match["db"]))
        )
    return entries


def looks_like_production(host: str, database: str) -> str | None:
    """The production-looking word in the host or database name, if any: ``prod``,
    ``production`` or ``prd`` as a word, or ``prod`` inside one (``proddb``, ``pgprod``,
    ``prodreplica``), never ``product``/``produce``."""
    for part in (host.lower(), database.lower()):
        found = _PRODUCTION.search(part)
        if found:
            return found.group(0)
        for word in _WORD.findall(part):
            if _PROD_IN_WORD.search(word):
                return str(word)
    return None


def check_test_database(
    server: ServerInfo,
    settings: Settings | Profile | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Verdict:
    """Decide, without raising and without connecting, whether ``server`` may be used."""
    env = os.environ if environ is None else environ
    host, port, database = server.host, server.port, server.database
    if _provisioned(server):
        return Verdict(True, f"provisioned by this session ({server.provider})")
    if (_canonical_host(host), port) in _session_servers:
        return Verdict(True, "a server provisioned by this session")
    for entry in parse_allow_list(env.get(ALLOW_ENV, "")):
        if entry.matches(host, port, database):
            shown = database_key(entry.host, entry.port, entry.database)
            return Verdict(True, f"listed in {ALLOW_ENV} ({shown})")
    if settings is None:  # the innermost session's, so the user's profile applies
        settings = current()
    profile = settings.profile if isinstance(settings, Settings) else settings
    word = looks_like_production(host, database)
    if profile is not None and profile.test_database and word is None and _targets(profile, server):
        where = profile.sources.get("test_database", str(profile.path))
        return Verdict(True, f"profile {profile.name} says test_database: true ({where})")
    return Verdict(False, *_refusal(server, profile, word))


def ensure_test_database(
    server: ServerInfo,
    settings: Settings | Profile | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Raise :class:`UnsafeDatabaseError` unless ``server`` is a test database.

    Servers this session provisioned are remembered, so :func:`ensure_test_url` later accepts
    any database on them (the session's clones, for instance).
    """
    verdict = check_test_database(server, settings, environ=environ)
    if not verdict.allowed:
        raise UnsafeDatabaseError(verdict.message)
    if _provisioned(server):
        _session_servers.add((_canonical_host(server.host), server.port))


def ensure_test_url(
    url: str,
    settings: Settings | Profile | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> None:
    """:func:`ensure_test_database` for a connection URL (``TDDDatabaseManager``, ``--url``)."""
    try:
        server = parse_url(url)
    except ServerURLError as exc:
        raise UnsafeDatabaseError(str(exc)) from None
    ensure_test_database(server, settings, environ=environ)


def ensure_profile_target(settings: Settings, *, environ: Mapping[str, str] | None = None) -> None:
    """Before anything connects: refuse an external profile's server unless it is allowed."""
    profile = settings.profile
    if profile.provider != "external":
        return
    server = parse_url(profile.url or DEFAULT_URL, profile=profile.name)
    ensure_test_database(server, settings, environ=environ)


@dataclass(frozen=True)
class GuardMemory:
    """What the guard remembers (see :func:`forget_session_servers`)."""

    servers: frozenset[tuple[str, int]]
    settings: tuple[Settings, ...]


def forget_session_servers() -> GuardMemory:
    """Forget the provisioned servers and the sessions' settings (for tests of the guard).

    Returns what was forgotten, for :func:`restore_session_servers`.
    """
    memory = GuardMemory(frozenset(_session_servers), replace_active(()))
    _session_servers.clear()
    return memory


def restore_session_servers(memory: GuardMemory) -> None:
    """Remember again what :func:`forget_session_servers` returned."""
    _session_servers.update(memory.servers)
    replace_active([*memory.settings, *replace_active(())])


def _provisioned(server: ServerInfo) -> bool:
    if server.provider == "container":
        return server.container_id is not None
    return server.provider in PROVISIONED_PROVIDERS and _canonical_host(server.host) == "localhost"


def _targets(profile: Profile, server: ServerInfo) -> bool:
    """Whether ``server`` is on the server the profile names (its ``url``): the only server
    its ``test_database`` flag vouches for (any database there: the run's clones too)."""
    if not profile.url:
        return False
    target = urlsplit(profile.url)
    try:
        port = target.port or 5432
    except ValueError:
        return False
    return (_canonical_host(target.hostname or ""), port) == (
        _canonical_host(server.host),
        server.port,
    )


def _canonical_host(host: str) -> str:
    host = host.strip("[]").lower()
    return "localhost" if host in LOOPBACK else host


def _safe_entry(raw: str) -> str:
    return raw.rsplit("@", 1)[-1] if "@" in raw else raw


def _refusal(server: ServerInfo, profile: Profile | None, word: str | None) -> tuple[str, str]:
    """Why ``server`` is refused, and how to allow it."""
    key = database_key(server.host, server.port, server.database)
    server_key = database_key(server.host, server.port, "*")
    head = f"pgtdd refuses {server.safe_url}: "
    if word is not None and profile is not None and profile.test_database:
        why = (
            f"its name looks like production ({word!r}), and a production-looking name needs "
            "more than the profile's test_database flag; destructive fixtures never run on a "
            "server not known to be for tests."
        )
        return head + why, f"If it really is a test database, export {ALLOW_ENV}={key}"
    if profile is None:
        named = "no profile applies"
    elif profile.test_database:
        named = (
            f"profile {profile.name} ({profile.path}) sets test_database: true, which vouches "
            "only for the server of its own url"
        )
    else:
        named = f"profile {profile.name} ({profile.path}) does not set test_database: true"
    why = (
        "this session did not provision it and nothing marks it as a test database "
        f"({named}); destructive fixtures never run on a server not known to be for tests."
    )
    how = (
        "If it is a test database, either set `test_database: true` in the profile, or "
        f"export {ALLOW_ENV}={key} (comma-separated for several; {server_key} for every "
        "database of that server)."
    )
    return head + why, how
