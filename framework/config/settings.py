"""The session's settings: one frozen object resolved once (CLI > env > ini > profile).

Every layer reads its configuration from this object: the plugin resolves it at
``pytest_configure`` and activates it for the session (:func:`activate`); code that runs
outside a pytest session (a script, ``pgtdd`` commands) gets one resolved from the
environment (:func:`current_or_resolved`). The spec's ``DATAFLOW_TDD_POOL_SIZE``,
``DATAFLOW_TDD_TIMEOUT`` and ``DATAFLOW_TDD_MAX_CONNECTIONS`` are inputs of the same resolution
(they set ``pool.max_size``, ``timeouts.statement`` and ``pool.max_connections``), and so are
the ``POSTGRES_HOST``/``_PORT``/``_USER``/``_PASSWORD``/``_DB`` variables the guides use for an
existing server's address (parts of an external profile's ``url``), so ``Profile.source_of``
says which one set a value.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from pgtdd.config.profile import Profile, ProfileError, load_profile
from pgtdd.config.versions import VersionError, parse_version

# What CI services set: Jenkins sets JENKINS_HOME and BUILD_ID on every build, JENKINS_URL only
# when its URL is configured.
CI_VARIABLES = (
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "JENKINS_URL",
    "JENKINS_HOME",
    "BUILD_ID",
    "BUILDKITE",
)
# The guides' variables for an existing server's address -> the part of the URL each sets.
POSTGRES_VARIABLES = {
    "POSTGRES_HOST": "host",
    "POSTGRES_PORT": "port",
    "POSTGRES_USER": "user",
    "POSTGRES_PASSWORD": "password",
    "POSTGRES_DB": "database",
}
DEFAULT_PROFILE = "container"
_FALSE = {"", "0", "false", "no", "off"}


# The spec's variables read where they are used: a change during the session (a conftest's
# os.environ[...] = ..., monkeypatch) applies from then on, like any other input.
TDD_VARIABLES = ("DATAFLOW_TDD_POOL_SIZE", "DATAFLOW_TDD_TIMEOUT", "DATAFLOW_TDD_MAX_CONNECTIONS")


@dataclass(frozen=True)
class Settings:
    """The effective profile plus where the profile choice and each override came from.

    ``base`` is the profile before the ``DATAFLOW_TDD_*`` variables, ``tdd_env`` their values
    then; ``live`` settings (resolved from ``os.environ``) follow later changes of those
    variables (:meth:`refreshed`)."""

    profile: Profile
    profile_source: str
    base: Profile | None = field(default=None, repr=False, compare=False)
    tdd_env: tuple[str | None, ...] = field(default=(), compare=False)
    live: bool = field(default=False, compare=False)

    def refreshed(self, environ: Mapping[str, str]) -> Settings:
        """These settings with the ``DATAFLOW_TDD_*`` variables as ``environ`` has them now
        (``self`` when they did not change, or for settings that are not live)."""
        seen = _tdd_snapshot(environ)
        if not self.live or self.base is None or seen == self.tdd_env:
            return self
        changes: dict[str, object] = {}
        sources = dict(self.base.sources)
        _tdd_variables(self.base, environ, changes, sources)
        profile = dataclasses.replace(self.base, **changes, sources=sources)  # type: ignore[arg-type]
        return dataclasses.replace(self, profile=profile, tdd_env=seen)

    @property
    def sources(self) -> Mapping[str, str]:
        """Where each value came from (``profiles/ci.yaml:4``, ``env PGTDD_PORT``, ...)."""
        return self.profile.sources


def detected_ci(environ: Mapping[str, str]) -> str | None:
    """The first CI variable set to a true-ish value, if any."""
    for name in CI_VARIABLES:
        if environ.get(name, "").strip().lower() not in _FALSE:
            return name
    return None


def choose_profile(
    cli: str | None, environ: Mapping[str, str], ini: str | None = None
) -> tuple[str, str]:
    """The profile name or path to load, and a phrase saying where that choice came from."""
    if cli:
        return cli, "--db-profile"
    if environ.get("PGTDD_PROFILE"):
        return environ["PGTDD_PROFILE"], "env PGTDD_PROFILE"
    if ini:
        return ini, "ini pgtdd_profile"
    ci = detected_ci(environ)
    if ci:
        return "ci", f"CI detected (env {ci})"
    return DEFAULT_PROFILE, "default"


def resolve_settings(
    *,
    cli_profile: str | None = None,
    cli_image: str | None = None,
    cli_port: int | None = None,
    cli_reuse: bool | None = None,
    cli_version: str | None = None,
    cli_export_env: bool | None = None,
    ini_profile: str | None = None,
    ini_version: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the session settings; raises ``ProfileError`` with file and line on bad input.

    An option that does not apply to the chosen provider is an error (``--db-image`` with an
    external server); an environment variable that does not apply is left out (and not shown
    as applied). ``--db-port``/``PGTDD_PORT`` with an external profile set its URL's port.
    """
    env = os.environ if environ is None else environ
    choice, source = choose_profile(cli_profile, env, ini_profile)
    profile = load_profile(choice, env)
    changes: dict[str, object] = {}
    sources = dict(profile.sources)

    def override(key: str, value: object, where: str) -> None:
        changes[key] = value
        sources[key] = where

    container = profile.provider == "container"
    if cli_image:
        _refuse_unless(container, "--db-image", profile)
        override("image_templates", (cli_image, *profile.image_templates), "--db-image")
        sources["image"] = "--db-image"
    if cli_reuse is not None:
        _refuse_unless(container, "--db-reuse/--no-db-reuse", profile)
        override("reuse", cli_reuse, "--db-reuse" if cli_reuse else "--no-db-reuse")
    elif env.get("PGTDD_REUSE") and container:
        override("reuse", env["PGTDD_REUSE"].strip().lower() not in _FALSE, "env PGTDD_REUSE")
    if cli_export_env:
        override("export_env", True, "--db-export-env")
    elif env.get("PGTDD_EXPORT_ENV"):
        exported = env["PGTDD_EXPORT_ENV"].strip().lower() not in _FALSE
        override("export_env", exported, "env PGTDD_EXPORT_ENV")
    port = _chosen_port(cli_port, env)
    if profile.provider == "external":
        _external_url(profile, env, port, override)
    elif port is not None:
        override("host_port", port[0], port[1])
    base = dataclasses.replace(profile, **changes, sources=sources)  # type: ignore[arg-type]
    version, version_source = _version(base, cli_version, env, ini_version)
    base = base.for_version(version, version_source)
    tdd: dict[str, object] = {}
    tdd_sources = dict(base.sources)
    _tdd_variables(base, env, tdd, tdd_sources)
    profile = dataclasses.replace(base, **tdd, sources=tdd_sources)  # type: ignore[arg-type]
    return Settings(
        profile=profile,
        profile_source=source,
        base=base,
        tdd_env=_tdd_snapshot(env),
        live=environ is None,
    )


def _version(
    profile: Profile, cli: str | None, env: Mapping[str, str], ini: str | None
) -> tuple[int | None, str | None]:
    """The PostgreSQL major asked for and where from: ``--db-version`` > ``PGTDD_PG_VERSION``
    > ini ``pgtdd_pg_version`` > the profile's ``version:`` (source None: as recorded)."""
    for value, where in (
        (cli, "--db-version"),
        (env.get("PGTDD_PG_VERSION"), "env PGTDD_PG_VERSION"),
        (ini, "ini pgtdd_pg_version"),
    ):
        if value is not None and str(value).strip():
            try:
                return parse_version(value, where), where
            except VersionError as exc:
                raise ProfileError(str(exc)) from None
    return profile.version, None


def _tdd_snapshot(env: Mapping[str, str]) -> tuple[str | None, ...]:
    return tuple(env.get(name) for name in TDD_VARIABLES)


def _refuse_unless(applies: bool, option: str, profile: Profile) -> None:
    if not applies:
        raise ProfileError(
            f"{option} applies to container profiles; profile {profile.name} "
            f"({profile.source_of('provider')}) is {profile.provider}: drop the option or "
            "choose a container profile with --db-profile"
        )


def _chosen_port(cli_port: int | None, env: Mapping[str, str]) -> tuple[int, str] | None:
    if cli_port is not None:
        return cli_port, "--db-port"
    if env.get("PGTDD_PORT"):
        return _port(env["PGTDD_PORT"]), "env PGTDD_PORT"
    return None


def _external_url(
    profile: Profile,
    env: Mapping[str, str],
    port: tuple[int, str] | None,
    override: Callable[[str, object, str], None],
) -> None:
    """An external server's URL: ``TEST_DATABASE_URL``, else the profile's with the parts the
    ``POSTGRES_*`` variables name; then the port of ``--db-port``/``PGTDD_PORT``."""
    url, where = profile.url, profile.source_of("url")
    if env.get("TEST_DATABASE_URL"):
        url, where = env["TEST_DATABASE_URL"], "env TEST_DATABASE_URL"
    else:
        parts = {part: env[name] for name, part in POSTGRES_VARIABLES.items() if env.get(name)}
        if parts and url is not None:
            if "port" in parts:
                parts["port"] = str(_port(parts["port"], "POSTGRES_PORT"))
            url = with_url_parts(url, **parts)
            names = ", ".join(f"env {n}" for n in POSTGRES_VARIABLES if env.get(n))
            where = f"{where} with {names}"
    if port is not None and url is not None:
        url = with_url_parts(url, port=str(port[0]))
        where = f"{where} with the port of {port[1]}"
    if url != profile.url or where != profile.source_of("url"):
        override("url", url, where)


def with_url_parts(url: str, **parts: str) -> str:
    """``url`` with some of ``host``, ``port``, ``user``, ``password``, ``database`` replaced."""
    split = urlsplit(url)
    user = parts.get("user", split.username or "")
    password = parts.get("password", split.password or "")
    host = parts.get("host", split.hostname or "")
    port = parts.get("port", str(split.port) if split.port else "")
    database = parts.get("database", split.path.lstrip("/"))
    auth = quote(user, safe="") if "user" in parts else (split.username or "")
    if password:
        auth += ":" + (quote(password, safe="") if "password" in parts else password)
    shown_host = f"[{host}]" if ":" in host else host
    netloc = f"{auth}@" if auth else ""
    netloc += shown_host + (f":{port}" if port else "")
    path = "/" + (quote(database, safe="") if "database" in parts else database)
    return urlunsplit((split.scheme, netloc, path, split.query, split.fragment))


def _tdd_variables(
    profile: Profile, env: Mapping[str, str], changes: dict[str, object], sources: dict[str, str]
) -> None:
    """``DATAFLOW_TDD_POOL_SIZE`` -> ``pool.max_size``, ``DATAFLOW_TDD_TIMEOUT`` ->
    ``timeouts.statement`` (0 turns the statement timeout off), ``DATAFLOW_TDD_MAX_CONNECTIONS``
    -> ``pool.max_connections``."""
    pool = profile.pool
    size = _whole_number(env, "DATAFLOW_TDD_POOL_SIZE", minimum=1)
    if size is not None:
        pool = dataclasses.replace(pool, max_size=size, min_size=min(pool.min_size, size))
        sources["pool.max_size"] = "env DATAFLOW_TDD_POOL_SIZE"
    ceiling = _whole_number(env, "DATAFLOW_TDD_MAX_CONNECTIONS", minimum=1)
    if ceiling is not None:
        pool = dataclasses.replace(pool, max_connections=ceiling)
        sources["pool.max_connections"] = "env DATAFLOW_TDD_MAX_CONNECTIONS"
    if pool != profile.pool:
        changes["pool"] = pool
    timeout = _whole_number(env, "DATAFLOW_TDD_TIMEOUT", minimum=0)
    if timeout is not None:
        changes["timeouts"] = dataclasses.replace(profile.timeouts, statement=float(timeout))
        sources["timeouts.statement"] = "env DATAFLOW_TDD_TIMEOUT"


def _whole_number(env: Mapping[str, str], name: str, *, minimum: int) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ProfileError(
            f"env {name}={raw!r} is not a whole number >= {minimum}; fix or unset it"
        )
    return value


# The settings of the pytest sessions configured in this process (pytester nests them).
_ACTIVE: list[Settings] = []
# An active session's settings refreshed for changed DATAFLOW_TDD_* variables, by id.
_REFRESHED: dict[int, Settings] = {}


def activate(settings: Settings) -> None:
    """Make ``settings`` the process's current settings (the plugin, for its session)."""
    _ACTIVE.append(settings)


def deactivate(settings: Settings) -> None:
    """Undo :func:`activate`."""
    if settings in _ACTIVE:
        _ACTIVE.remove(settings)
    _REFRESHED.pop(id(settings), None)


@contextmanager
def activated(settings: Settings) -> Iterator[Settings]:
    """:func:`activate` for the duration of a block (a command's own session)."""
    activate(settings)
    try:
        yield settings
    finally:
        deactivate(settings)


def current() -> Settings | None:
    """The innermost active session's settings (with the ``DATAFLOW_TDD_*`` variables as they
    are now), or ``None`` outside any."""
    if not _ACTIVE:
        return None
    active = _ACTIVE[-1]
    fresh = active.refreshed(os.environ)
    if fresh is not active:
        cached = _REFRESHED.get(id(active))
        if cached is not None and cached.tdd_env == fresh.tdd_env:
            return cached
        _REFRESHED[id(active)] = fresh
    return fresh


def current_or_resolved() -> Settings:
    """The active settings, else settings resolved now from the environment and profiles."""
    return current() or resolve_settings()


def connect_timeout() -> int:
    """The active profile's ``timeouts.connect`` as libpq's ``connect_timeout`` (whole seconds,
    at least 2: libpq's own minimum), for every psycopg connection pgtdd opens."""
    return max(2, round(current_or_resolved().profile.timeouts.connect))


def replace_active(settings: Sequence[Settings]) -> tuple[Settings, ...]:
    """Replace the stack of active settings; return the old one (for tests of the guard)."""
    old = tuple(_ACTIVE)
    _ACTIVE[:] = list(settings)
    return old


def _port(text: str, name: str = "PGTDD_PORT") -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ProfileError(f"env {name}={text!r} is not a port number (0 to 65535)")
    return port
