"""The external provider: an existing server (a CI service container, a developer's own)."""

from __future__ import annotations

import socket
from dataclasses import replace

from pgtdd.config.profile import Profile, ProfileError
from pgtdd.providers.health import ServerState
from pgtdd.providers.readiness import read_settings, wait_until_ready
from pgtdd.server import DEFAULT_URL, ServerInfo, ServerURLError, parse_url


class ExternalProvider:
    """Connects to a server someone else runs; starts and stops nothing."""

    name = "external"

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def start(self) -> ServerInfo:
        """Check the server answers and read its version and the profile's settings."""
        try:
            server = parse_url(self.profile.url or DEFAULT_URL, profile=self.profile.name)
        except ServerURLError as exc:
            raise ProfileError(f"{exc} (TEST_DATABASE_URL or the profile's url)") from None
        version = wait_until_ready(
            server, self.profile.retry, connect_timeout=self.profile.timeouts.connect
        )
        names = list(self.profile.server_settings) or ["jit", "fsync", "synchronous_commit"]
        return replace(server, version=version, settings=read_settings(server, names))

    def health(self) -> ServerState:
        """Whether something still accepts connections at the server's address."""
        server = parse_url(self.profile.url or DEFAULT_URL, profile=self.profile.name)
        where = f"{server.host}:{server.port}"
        try:
            timeout = self.profile.timeouts.connect
            socket.create_connection((server.host, server.port), timeout).close()
        except ConnectionRefusedError:
            return ServerState(alive=False, what=f"nothing accepts connections on {where} now")
        except OSError as exc:
            return ServerState(alive=True, what=f"{where} did not answer a probe ({exc})")
        return ServerState(alive=True, what=f"{where} accepts connections")

    def release(self) -> None:
        """The same as :meth:`stop`."""
        self.stop()

    def stop(self) -> None:
        """Nothing to stop: the server belongs to someone else."""
