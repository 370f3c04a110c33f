"""The session's settings: one frozen object resolved once (CLI > env > ini > profile).

Every layer reads its configuration from this object: the plugin resolves it at
``pytest_configure`` and activates it for the session (:func:`activate`); code that runs
outside a pytest session (a script, ``pgtdd`` commands) gets one resolved from the
environment (:func:`current_or_resolved`). The spec's ``DATAFLOW_TDD_POOL_SIZE`` and
``DATAFLOW_TDD_TIMEOUT`` are inputs of the same resolution (they set ``pool.max_size`` and
``timeouts.statement``), so ``Profile.source_of`` says which one set a value.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pgtdd.config.profile import Profile, ProfileError, load_profile

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE")
DEFAULT_PROFILE = "container"
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    """The effective profile plus where the profile choice and each override came from."""

    profile: Profile
    profile_source: str

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
    ini_profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the session settings; raises ``ProfileError`` with file and line on bad input."""
    env = os.environ if environ is None else environ
    choice, source = choose_profile(cli_profile, env, ini_profile)
    profile = load_profile(choice, env)
    changes: dict[str, object] = {}
    sources = dict(profile.sources)

    def override(key: str, value: object, where: str) -> None:
        changes[key] = value
        sources[key] = where

    if cli_image:
        override("image", (cli_image, *profile.image), "--db-image")
    if cli_port is not None:
        override("host_port", cli_port, "--db-port")
    elif env.get("PGTDD_PORT"):
        override("host_port", _port(env["PGTDD_PORT"]), "env PGTDD_PORT")
    if cli_reuse is not None:
        override("reuse", cli_reuse, "--db-reuse" if cli_reuse else "--no-db-reuse")
    elif env.get("PGTDD_REUSE"):
        override("reuse", env["PGTDD_REUSE"].strip().lower() not in _FALSE, "env PGTDD_REUSE")
    if profile.provider == "external" and env.get("TEST_DATABASE_URL"):
        override("url", env["TEST_DATABASE_URL"], "env TEST_DATABASE_URL")
    _tdd_variables(profile, env, changes, sources)
    profile = dataclasses.replace(profile, **changes, sources=sources)  # type: ignore[arg-type]
    return Settings(profile=profile, profile_source=source)


def _tdd_variables(
    profile: Profile, env: Mapping[str, str], changes: dict[str, object], sources: dict[str, str]
) -> None:
    """``DATAFLOW_TDD_POOL_SIZE`` -> ``pool.max_size``, ``DATAFLOW_TDD_TIMEOUT`` ->
    ``timeouts.statement`` (0 turns the statement timeout off)."""
    size = _whole_number(env, "DATAFLOW_TDD_POOL_SIZE", minimum=1)
    if size is not None:
        pool = dataclasses.replace(
            profile.pool, max_size=size, min_size=min(profile.pool.min_size, size)
        )
        changes["pool"] = pool
        sources["pool.max_size"] = "env DATAFLOW_TDD_POOL_SIZE"
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


def activate(settings: Settings) -> None:
    """Make ``settings`` the process's current settings (the plugin, for its session)."""
    _ACTIVE.append(settings)


def deactivate(settings: Settings) -> None:
    """Undo :func:`activate`."""
    if settings in _ACTIVE:
        _ACTIVE.remove(settings)


@contextmanager
def activated(settings: Settings) -> Iterator[Settings]:
    """:func:`activate` for the duration of a block (a command's own session)."""
    activate(settings)
    try:
        yield settings
    finally:
        deactivate(settings)


def current() -> Settings | None:
    """The innermost active session's settings, or ``None`` outside any."""
    return _ACTIVE[-1] if _ACTIVE else None


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


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ProfileError(f"env PGTDD_PORT={text!r} is not a port number (0 to 65535)")
    return port
