"""The container provider: a tuned PostgreSQL started through testcontainers for the session."""

from __future__ import annotations

import contextlib
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from docker.errors import APIError
from testcontainers.core.config import testcontainers_config
from testcontainers.core.container import DockerContainer

from pgtdd.config.profile import Profile
from pgtdd.providers import reaper
from pgtdd.providers.candidates import ImageUnavailableError, choose_image, image_fix
from pgtdd.providers.engine import docker_client, engine_socket
from pgtdd.providers.health import CREATED, classify, describe_removed, sweep_broken_reusable
from pgtdd.providers.ownership import REUSE_LABEL, Owner, sweep_orphans
from pgtdd.providers.readiness import ServerStartError, check_major, check_startup, wait_for_version
from pgtdd.providers.records import server_command
from pgtdd.providers.reuse import (
    LOOPBACK,
    PORT_LABEL,
    container_name,
    identity_args,
    reuse_key,
    save_record,
    verify_identity_and_settings,
)
from pgtdd.retry import poll_until
from pgtdd.serverinfo import ServerInfo

PG_PORT = 5432
HTTP_CONFLICT = 409
PGDATA = "/var/lib/postgresql/data"
LOG_LINES = 40
PORT_IN_USE = "Address already in use"
ALIVE_CHECK_AFTER = 0.5  # seconds of failed readiness before asking the engine if it still runs
_RELEASED: list[reaper.Watchdog] = []
__all__ = ["ImageUnavailableError", "choose_image"]  # where pgtdd's callers find them
_GONE = object()  # the container waited for was removed


def free_port() -> int:
    """A port the kernel says is free now (for a server on the host network)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def choose_network(client: Any, profile: Profile) -> str:
    """``host`` or ``bridge``: the profile's choice, or for ``auto`` whether a container on the
    host network would listen on this process's own loopback interface: a Linux engine on a
    local socket, in this network namespace (its host name is ours), not rootless."""
    if profile.network != "auto":
        return profile.network
    from docker.errors import DockerException

    if sys.platform != "linux" or engine_socket() is None:
        return "bridge"
    try:
        info = client.info()
    except DockerException:
        return "bridge"
    # Rootless engines have a network namespace of their own; userns-remap refuses the host's.
    options = " ".join(str(option) for option in info.get("SecurityOptions") or [])
    confined = "rootless" in options or "name=userns" in options
    same_host = info.get("Name") == socket.gethostname()
    return "host" if same_host and not confined else "bridge"


def port_is_free(port: int) -> bool:
    """Whether ``port`` can be bound on all interfaces of this host right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers do: connections of a previous server in TIME_WAIT do not make it busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


class ContainerProvider:
    """Starts (or reuses) a PostgreSQL container and removes it at :meth:`stop`."""

    name = "container"

    def __init__(self, profile: Profile, owner: Owner | None = None) -> None:
        self.profile = profile
        self.owner = owner or Owner.current()
        self.container: DockerContainer | None = None
        self.notes: list[str] = []
        self._reaper: reaper.Watchdog | None = None
        self.network = "bridge"
        self.host_port = 0  # the server's port on the host network (network "host")
        # On the host network another server may answer on our port (it bound it first): our
        # server is told apart by its cluster_name (None on the bridge: the port is reserved).
        self.identity: str | None = None

    def start(self) -> ServerInfo:
        """Start the container, wait until it answers, verify its settings."""
        with contextlib.closing(docker_client()) as client:
            return self._start_with(client)

    def _start_with(self, client: Any) -> ServerInfo:
        swept = sweep_orphans(client)
        if swept:
            self.notes.append(f"removed {len(swept)} container(s) left by dead sessions")
        broken = sweep_broken_reusable(client)
        if broken:
            self.notes.append(describe_removed(broken))
        image = choose_image(client, self.profile.image, self.profile.version)
        check_startup(f"choosing the image {image}")
        self.network = choose_network(client, self.profile)
        key = None
        if self.profile.reuse:
            key = reuse_key(client.images.get(image).id, self.profile, self.network)
        if key is not None:
            existing = self._reuse_or_discard(client, key)
            if existing is not None:
                return existing
        try:
            try:
                return self._start_and_wait(client, image, key)
            except ServerStartError as exc:
                if self.network != "host" or PORT_IN_USE not in str(exc):
                    raise
            # Another process took the port between our check and the server's bind.
            self.notes.append(f"port {self.host_port} was taken while starting: using another")
            self._discard()
            return self._start_and_wait(client, image, key, any_port=True)
        except BaseException:
            self.stop()
            raise

    def _start_and_wait(
        self, client: Any, image: str, key: str | None, any_port: bool = False
    ) -> ServerInfo:
        container = self._build(image, reuse_key=key, any_port=any_port)
        self.container = container
        try:
            self._start_container(container, client)
        except APIError as exc:
            if key is None or exc.status_code != HTTP_CONFLICT:
                raise
            # Another session is creating the same reusable container: use theirs.
            _close_client(container)
            self.container = None
            found = self._wait_reusable(client, key)
            if found is None:  # theirs was stuck and removed: start ours after all
                return self._start_and_wait(client, image, key, any_port)
            return found
        if not self.profile.reuse:
            self._reaper = reaper.spawn(
                self.owner.pid, self.owner.started, container.get_container_id()
            )
        check_startup(f"starting container {container.get_container_id()[:12]}")
        return self._ready(container, image, key)

    def _discard(self) -> None:
        """Remove the container now, reused or not, and end its watchdog."""
        container, self.container = self.container, None
        if container is not None:
            with contextlib.suppress(Exception):
                container.stop()
        _close_client(container)
        self.stop()

    def _build(
        self, image: str, reuse_key: str | None = None, any_port: bool = False
    ) -> DockerContainer:
        profile = self.profile
        labels = self.owner.labels(profile.name)
        if reuse_key is not None:
            labels[REUSE_LABEL] = reuse_key
        container = (
            DockerContainer(image)
            .with_env("POSTGRES_USER", profile.user)
            .with_env("POSTGRES_PASSWORD", profile.password)
            .with_env("POSTGRES_DB", profile.database)
            # The official postgres:18 image moved PGDATA under its VOLUME: keep the data
            # where the tmpfs is (and where every pgtdd image has it).
            .with_env("PGDATA", PGDATA)
            .with_command(server_command(profile))
        )
        if reuse_key is not None:
            container.with_name(container_name(reuse_key))
        if profile.tmpfs:
            # Bounded (tmpfs_size): a runaway test gets "No space left on device", not the
            # host's swap or OOM killer; 0 leaves it unbounded (half the host's memory).
            size = profile.tmpfs_size
            container.with_tmpfs_mount(PGDATA, f"size={size}" if size != "0" else None)
        if self.network == "host":
            return self._on_host_network(container, labels, any_port)
        container.with_kwargs(labels=labels)
        host_port = profile.host_port
        if host_port and port_is_free(host_port):
            container.with_bind_ports(PG_PORT, host_port)
        else:
            if host_port:
                self.notes.append(f"port {host_port} is taken: using an ephemeral port")
            container.with_exposed_ports(PG_PORT)
        return container

    def _on_host_network(
        self, container: DockerContainer, labels: dict[str, str], any_port: bool
    ) -> DockerContainer:
        # No bridge, veth or port mapping to set up (start ~0.13 s instead of ~0.28 s, removal
        # ~0.07 s instead of ~0.15 s); the server listens on the loopback interface only.
        wanted = 0 if any_port else self.profile.host_port
        port = wanted if wanted and port_is_free(wanted) else free_port()
        if wanted and port != wanted:
            self.notes.append(f"port {wanted} is taken: using an ephemeral port")
        self.host_port = port
        reused = labels.get(REUSE_LABEL)
        self.identity = container_name(reused) if reused else f"pgtdd-{self.owner.session}"
        command = [*server_command(self.profile), "-c", f"port={port}"]
        command += [
            "-c",
            f"listen_addresses={LOOPBACK}",
            *identity_args(self.profile, self.identity),
        ]
        container.with_command(command)
        labels[PORT_LABEL] = str(port)
        container.with_kwargs(labels=labels, network_mode="host")
        return container

    def _start_container(self, container: DockerContainer, client: Any) -> None:
        # Ryuk needs its image from a registry; when it is not here, our own labels, the
        # start-up sweep and the reaper watchdog do its job.
        previous = testcontainers_config.ryuk_disabled
        testcontainers_config.ryuk_disabled = previous or not _ryuk_image_present(client)
        try:
            container.start()
        except Exception as exc:
            if "port is already allocated" not in str(exc) or not self.profile.host_port:
                raise
            # Lost a race for the fixed port: fall back to an ephemeral one.
            self.notes.append(f"port {self.profile.host_port} was taken: using an ephemeral port")
            with contextlib.suppress(Exception):
                container.stop()
            container.ports = {}
            container.with_exposed_ports(PG_PORT)
            container.start()
        finally:
            testcontainers_config.ryuk_disabled = previous

    def _ready(self, container: DockerContainer, image: str, key: str | None) -> ServerInfo:
        if self.network == "host":
            host, port = LOOPBACK, self.host_port
        else:
            host, port = container.get_container_host_ip(), int(container.get_exposed_port(PG_PORT))
        server = self._server(host, port, image, container.get_container_id())
        return self._serve(
            server,
            key,
            logs=lambda: _tail_logs(container),
            alive=_running_after(container, ALIVE_CHECK_AFTER),
        )

    def _server(self, host: str, port: int, image: str, container_id: str) -> ServerInfo:
        profile = self.profile
        return ServerInfo(
            host=host,
            port=port,
            user=profile.user,
            password=profile.password,
            database=profile.database,
            provider=self.name,
            profile=profile.name,
            image=image,
            container_id=container_id,
        )

    def _serve(
        self,
        server: ServerInfo,
        key: str | None,
        *,
        logs: Callable[[], str],
        alive: Callable[[], bool] | None = None,
    ) -> ServerInfo:
        """Wait until ``server`` answers, check it is ours and tuned, record a reusable one."""
        profile = self.profile
        version, number = wait_for_version(
            server, profile.retry, connect_timeout=profile.timeouts.connect, logs=logs, alive=alive
        )
        server = _finish(server, version, number, {}, self.notes)
        # Ours first (on the host network another server may answer on the port), then its major.
        settings = verify_identity_and_settings(server, profile, self.identity)
        check_major(server, profile, fix=image_fix(server, profile.version))
        if key is not None:
            save_record(profile, server, key, self.network)
        return _finish(server, version, number, settings, self.notes)

    def _reuse_or_discard(self, client: Any, key: str) -> ServerInfo | None:
        """The reusable container when its server answers; one that does not is removed
        (the caller starts a new one)."""
        try:
            return self._find_reusable(client, key)
        except ServerStartError as exc:
            with contextlib.suppress(Exception):
                client.containers.get(container_name(key)).remove(force=True, v=True)
            first = str(exc).splitlines()[0]
            self.notes.append(f"removed reusable container {container_name(key)}: {first}")
            return None

    def _wait_reusable(self, client: Any, key: str) -> ServerInfo | None:
        """Wait for the reusable container another session is starting (bounded by
        ``timeouts.startup``); ``None`` when it is gone (removed as stuck); one that stays
        ``created`` is named with the fix."""
        from docker.errors import NotFound

        startup = self.profile.timeouts.startup
        gone: list[bool] = []

        def ready() -> ServerInfo | None:
            found = self._find_reusable(client, key)
            if found is None:
                try:
                    client.containers.get(container_name(key))
                except NotFound:
                    gone.append(True)
                    return None
            return found

        found = poll_until(lambda: ready() or (None if not gone else _GONE), startup, 0.1)
        if found is _GONE:
            return None
        if isinstance(found, ServerInfo):
            return found
        name = container_name(key)
        raise ServerStartError(
            f"reusable container {name} did not start within timeouts.startup ({startup:g} s, "
            f"{self.profile.source_of('timeouts.startup')}): another session created it and "
            f"has not started it. If no other session is starting it, remove it with "
            f"`docker rm -f {name}` (or `pgtdd down`), then run again."
        )

    def _find_reusable(self, client: Any, key: str) -> ServerInfo | None:
        from docker.errors import NotFound

        try:
            found = client.containers.get(container_name(key))
        except NotFound:
            return None
        if found.status == "created":
            if classify(found.attrs).kind == CREATED:  # stuck: nobody is starting it
                found.remove(force=True, v=True)
                self.notes.append(f"removed reusable container {found.name}: stuck in created")
            return None  # else being started by a concurrent session
        if found.status != "running" or found.labels.get(REUSE_LABEL) != key:
            found.remove(force=True, v=True)
            return None
        address = self._address_of(found)
        if address is None:
            found.remove(force=True, v=True)
            return None
        self.notes.append(f"reused container {found.short_id}")
        if self.network == "host":  # the key includes the network: so is the found container
            self.identity = container_name(key)
        image = found.image.tags[0] if found.image.tags else found.image.short_id
        return self._serve(
            self._server(*address, image, found.id),
            key,
            logs=lambda: bytes(found.logs(tail=LOG_LINES)).decode(errors="replace"),
        )

    def find_running(self) -> ServerInfo | None:
        """Nothing is found without :meth:`start` (which starts, or checks, the server)."""
        return None

    def take_connection(self) -> None:
        """No connection is kept from the start."""
        return None

    def release(self) -> None:
        """:meth:`stop` without waiting: the watchdog removes the container (at the session's
        end, so the process can exit ~0.2 s sooner); synchronous when there is no watchdog."""
        if (
            self._reaper is None
            or self._reaper.poll() is not None  # the watchdog is gone: remove it ourselves
            or self.container is None
            or self.profile.reuse
        ):
            self.stop()
            return
        _close_client(self.container)
        watchdog, self._reaper, self.container = self._reaper, None, None
        _RELEASED[:] = [w for w in _RELEASED if w.poll() is None]  # reap finished ones
        _RELEASED.append(watchdog)  # reaped by a later release(), if this process lives on
        watchdog.release()  # end of file: the watchdog removes the container now

    def _address_of(self, found: Any) -> tuple[str, int] | None:
        """Where a running container's server answers, or ``None`` if it publishes nothing."""
        if self.network == "host":
            port = found.labels.get(PORT_LABEL)
            return (LOOPBACK, int(port)) if port and port.isdigit() else None
        if not found.attrs["NetworkSettings"]["Ports"].get(f"{PG_PORT}/tcp"):
            return None
        probe = DockerContainer(found.image.tags[0] if found.image.tags else found.image.id)
        probe._container = found
        try:
            return probe.get_container_host_ip(), int(probe._get_exposed_port(PG_PORT))
        finally:
            _close_client(probe)

    def stop(self) -> None:
        """Remove the container (a reused one is left running) and end the watchdog."""
        if self.container is not None and not self.profile.reuse:
            with contextlib.suppress(Exception):
                self.container.stop()
        _close_client(self.container)
        self.container = None
        if self._reaper is not None:
            self._reaper.terminate()
            self._reaper = None


def _close_client(container: DockerContainer | None) -> None:
    """Close the Docker client testcontainers opened for ``container`` (its socket would
    otherwise be closed by the garbage collector, with a ResourceWarning)."""
    if container is not None:
        with contextlib.suppress(Exception):
            container.get_docker_client().client.close()


def _finish(
    server: ServerInfo, version: str, number: int, settings: dict[str, str], notes: list[str]
) -> ServerInfo:
    from dataclasses import replace

    return replace(
        server, version=version, version_num=number, settings=settings, notes=tuple(notes)
    )


def _running_after(container: DockerContainer, seconds: float) -> Callable[[], bool]:
    """``alive()`` for readiness: true at first, then whether the container still runs (a
    server that exited at start, on a bad setting or a taken port, fails at once)."""
    started = time.monotonic()

    def alive() -> bool:
        if time.monotonic() - started < seconds:
            return True
        try:
            wrapped = container.get_wrapped_container()
            wrapped.reload()
        except Exception:  # noqa: BLE001 - unknown: keep polling until the deadline
            return True
        return bool(wrapped.status in ("created", "running"))

    return alive


def _tail_logs(container: DockerContainer) -> str:
    try:
        wrapped = container.get_wrapped_container()
        return bytes(wrapped.logs(tail=LOG_LINES)).decode(errors="replace")
    except Exception as exc:  # noqa: BLE001 - the log is an extra; the start error matters
        return f"(logs unavailable: {exc})"


def _ryuk_image_present(client: Any) -> bool:
    from docker.errors import DockerException

    try:
        client.images.get(testcontainers_config.ryuk_image)
    except DockerException:
        return False
    return True
