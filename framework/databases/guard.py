"""The test-database guard: destructive fixtures only ever touch a server meant for tests.

A server is allowed when one of these holds:

1. this session provisioned it (a ``container`` or ``native`` server started by pgtdd);
2. ``PGTDD_ALLOW_DATABASE`` lists it: ``host:port/database`` entries, separated by commas or
   spaces; ``host:port/*`` allows every database of that server;
3. the profile says ``test_database: true`` and the host and database names do not look like
   production (``prod``, ``production``, ``prd`` as a word). A production-looking name needs
   the explicit ``PGTDD_ALLOW_DATABASE`` entry;
4. the profile says ``accept_marked: true`` (the built-in ``local`` profile does), the names do
   not look like production, and the server is marked as a test server: ``SHOW
   pgtdd.test_server`` is ``on`` (pgtdd's own servers start with it; ``ALTER DATABASE ... SET
   pgtdd.test_server = on`` marks one of yours). This one connects to look.

Anything else raises :class:`UnsafeDatabaseError`, whose message names the server (password
masked) and the ways to allow it. Checks 1-3 need no connection: they run before pgtdd connects
to an external server at all; check 4 reads the mark once the server answers (read-only).
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
# host:port of servers found marked as test servers (``accept_marked``).
_marked_servers: set[tuple[str, int]] = set()
MARK_SETTING = "pgtdd.test_server"


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
    if (_canonical_host(host), port) in _marked_servers:
        return Verdict(True, f"marked as a test server ({MARK_SETTING} = on)")
    for entry in parse_allow_list(env.get(ALLOW_ENV, "")):
        if entry.matches(host, port, database):
            shown = database_key(entry.host, entry.port, entry.database)
            return Verdict(True, f"listed in {ALLOW_ENV} ({shown})")
    profile = _profile_of(settings)
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
        profile = _profile_of(settings)
        if not may_be_marked(server, profile):
            raise UnsafeDatabaseError(verdict.message)
        assert profile is not None
        _require_mark(server, profile)
        _marked_servers.add((_canonical_host(server.host), server.port))
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
    verdict = check_test_database(server, settings, environ=environ)
    if not verdict.allowed and not may_be_marked(server, profile):
        raise UnsafeDatabaseError(verdict.message)
    # accept_marked: the mark is read once the server answers (start_server checks again)


def _profile_of(settings: Settings | Profile | None) -> Profile | None:
    if settings is None:  # the innermost session's, so the user's profile applies
        settings = current()
    return settings.profile if isinstance(settings, Settings) else settings


def may_be_marked(server: ServerInfo, profile: Profile | None) -> bool:
    """Whether the profile accepts ``server`` once it is seen marked (never a name that looks
    like production, never a server other than the profile's own)."""
    return (
        profile is not None
        and profile.accept_marked
        and looks_like_production(server.host, server.database) is None
        and _targets(profile, server)
    )


def _require_mark(server: ServerInfo, profile: Profile) -> None:
    """Connect and read the mark; raise, saying what was found and how to mark it, if absent."""
    import psycopg

    key = database_key(server.host, server.port, server.database)
    head = f"pgtdd refuses {server.safe_url}: "
    try:
        with psycopg.connect(server.url, connect_timeout=5, autocommit=True) as conn:
            mark, version, tables = conn.execute(MARK_QUERY, (MARK_SETTING,)).fetchone() or ("",)*3
    except psycopg.Error as exc:
        from pgtdd.redact import redact

        raise UnsafeDatabaseError(
            f"{head}profile {profile.name} accepts it only marked as a test server, and pgtdd "
            f"could not connect to look ({redact(str(exc).strip().splitlines()[0])}). "
            f"{_mark_fix(server, key)}"
        ) from None
    if str(mark).lower() in ("on", "true", "1", "yes"):
        return
    raise UnsafeDatabaseError(
        f"{head}found PostgreSQL {version} with {tables} table(s) in database "
        f"{server.database}, not marked as a test server ({MARK_SETTING} is "
        f"{mark or 'unset'}); profile {profile.name} ({profile.path}) accepts only a marked "
        f"server (accept_marked: true). {_mark_fix(server, key)}"
    )


MARK_QUERY = """
SELECT current_setting(%s, true),
       current_setting('server_version'),
       (SELECT count(*) FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%%')
"""


def _mark_fix(server: ServerInfo, key: str) -> str:
    quoted = '"' + server.database.replace('"', '""') + '"'
    return (
        f"If it is a server for tests, mark it: `ALTER DATABASE {quoted} SET {MARK_SETTING} = "
        f"'on'` (or start it with `-c {MARK_SETTING}=on`; pgtdd's own servers have it), or "
        f"export {ALLOW_ENV}={key}, or set `test_database: true` in a profile of your own."
    )


@dataclass(frozen=True)
class GuardMemory:
    """What the guard remembers (see :func:`forget_session_servers`)."""

    servers: frozenset[tuple[str, int]]
    settings: tuple[Settings, ...]
    marked: frozenset[tuple[str, int]] = frozenset()


def forget_session_servers() -> GuardMemory:
    """Forget the provisioned servers and the sessions' settings (for tests of the guard).

    Returns what was forgotten, for :func:`restore_session_servers`.
    """
    memory = GuardMemory(
        frozenset(_session_servers), replace_active(()), frozenset(_marked_servers)
    )
    _session_servers.clear()
    _marked_servers.clear()
    return memory


def restore_session_servers(memory: GuardMemory) -> None:
    """Remember again what :func:`forget_session_servers` returned."""
    _session_servers.update(memory.servers)
    _marked_servers.update(memory.marked)
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
    vouches = profile is not None and (profile.test_database or profile.accept_marked)
    if word is not None and profile is not None and vouches:
        flag = "test_database" if profile.test_database else "accept_marked"
        why = (
            f"its name looks like production ({word!r}), and a production-looking name needs "
            f"more than the profile's {flag} flag; destructive fixtures never run on a "
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
