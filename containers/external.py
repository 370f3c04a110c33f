"""The external provider: an existing server (a CI service container, a developer's own)."""

from __future__ import annotations

import socket
from dataclasses import replace

from pgtdd.config.profile import Profile, ProfileError
from pgtdd.providers.health import ServerState
from pgtdd.providers.readiness import check_major, read_settings, verify_settings, wait_for_version
from pgtdd.serverinfo import DEFAULT_URL, ServerInfo, ServerURLError, parse_url


class ExternalProvider:
    """Connects to a server someone else runs; starts and stops nothing."""

    name = "external"

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def start(self) -> ServerInfo:
        """Check the server answers and read its version; the profile's ``server_settings``
        are what this server must run with (pgtdd cannot set them here): any that differ is
        an error naming them."""
        try:
            server = parse_url(self.profile.url or DEFAULT_URL, profile=self.profile.name)
        except ServerURLError as exc:
            raise ProfileError(f"{exc} (TEST_DATABASE_URL or the profile's url)") from None
        version, number = wait_for_version(
            server, self.profile.retry, connect_timeout=self.profile.timeouts.connect
        )
        server = replace(server, version=version, version_num=number)
        check_major(
            server,
            self.profile,
            fix=f"point TEST_DATABASE_URL (or the profile's url) at a server of PostgreSQL "
            f"{self.profile.version}",
        )
        if self.profile.server_settings:
            settings = verify_settings(server, self.profile.server_settings, external=True)
        else:
            settings = read_settings(server, ["jit", "fsync", "synchronous_commit"])
        return replace(server, settings=settings)

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

    def find_running(self) -> ServerInfo | None:
        """Nothing is found without :meth:`start` (which starts, or checks, the server)."""
        return None

    def take_connection(self) -> None:
        """No connection is kept from the start."""
        return None

    def release(self) -> None:
        """The same as :meth:`stop`."""
        self.stop()

    def stop(self) -> None:
        """Nothing to stop: the server belongs to someone else."""
