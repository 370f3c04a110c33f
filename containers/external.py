"""The external provider: an existing server (a CI service container, a developer's own)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote, urlsplit

from pgtdd.config.profile import Profile, ProfileError
from pgtdd.providers.readiness import read_settings, wait_until_ready
from pgtdd.server import ServerInfo

DEFAULT_URL = "postgresql://dataflow_test:dataflow_test_password@localhost:5433/dataflow_test"


def parse_url(url: str, *, profile: str = "external") -> ServerInfo:
    """A ``ServerInfo`` from a ``postgresql://user:password@host:port/db`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise ProfileError(
            f"not a PostgreSQL URL: {parts.scheme}://{parts.hostname or ''}... ; expected "
            "postgresql://user:password@host:port/database (TEST_DATABASE_URL or the profile's url)"
        )
    return ServerInfo(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        database=unquote(parts.path.lstrip("/")) or "postgres",
        provider="external",
        profile=profile,
    )


class ExternalProvider:
    """Connects to a server someone else runs; starts and stops nothing."""

    name = "external"

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def start(self) -> ServerInfo:
        """Check the server answers and read its version and the profile's settings."""
        server = parse_url(self.profile.url or DEFAULT_URL, profile=self.profile.name)
        version = wait_until_ready(
            server, self.profile.retry, connect_timeout=self.profile.timeouts.connect
        )
        names = list(self.profile.server_settings) or ["jit", "fsync", "synchronous_commit"]
        return replace(server, version=version, settings=read_settings(server, names))

    def release(self) -> None:
        """The same as :meth:`stop`."""
        self.stop()

    def stop(self) -> None:
        """Nothing to stop: the server belongs to someone else."""
