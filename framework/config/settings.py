"""The session's settings: one frozen object resolved once (CLI > env > ini > profile)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
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
    profile = dataclasses.replace(profile, **changes, sources=sources)  # type: ignore[arg-type]
    return Settings(profile=profile, profile_source=source)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ProfileError(f"env PGTDD_PORT={text!r} is not a port number (0 to 65535)")
    return port
