"""The PostgreSQL major the project's tests run on: the session's (``--db-version``,
``PGTDD_PG_VERSION``, ...), so that CI's second run on another major covers every test that
starts a server of its own too."""

from __future__ import annotations

from pgtdd.config.profile import Profile, load_profile
from pgtdd.config.settings import current
from pgtdd.config.versions import DEFAULT_VERSION, MAJORS


def session_version() -> int:
    """The major this pytest session asked for (the default when none is active)."""
    settings = current()
    version = settings.profile.version if settings is not None else None
    return version or DEFAULT_VERSION


def tuned_image(version: int | None = None) -> str:
    """``pgtdd/postgres:<major>``."""
    return MAJORS[version or session_version()].image


def base_image(version: int | None = None) -> str:
    """``pgtdd/postgres-base:<major>`` (offline base: no tuning, no seed)."""
    return MAJORS[version or session_version()].base_image


def profile_for_session(name: str) -> Profile:
    """A built-in profile (no environment) for the session's major."""
    return load_profile(name, environ={}).for_version(session_version())
