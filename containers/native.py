"""The native provider: a throw-away cluster from local PostgreSQL binaries, for machines
without Docker. Same tuning as the container profile, data directory on tmpfs when there is one.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import psycopg
from psycopg import sql

from pgtdd.config.profile import Profile
from pgtdd.providers.container import port_is_free
from pgtdd.providers.health import ServerState, process_state
from pgtdd.providers.readiness import ServerStartError, verify_settings, wait_until_ready
from pgtdd.server import ServerInfo

SEARCH_GLOB = "/usr/lib/postgresql/*/bin"


class BinariesNotFoundError(RuntimeError):
    """No PostgreSQL server binaries were found."""


def find_bin_dir(
    explicit: str | None = None, *, path: str | None = None, pattern: str = SEARCH_GLOB
) -> Path:
    """Where ``initdb`` and ``postgres`` live: PGTDD_PG_BIN, PATH, pg_config, Debian layout.

    ``path`` replaces the ``PATH`` searched and ``pattern`` the Debian layout glob.
    """
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    if found := shutil.which("initdb", path=path):
        candidates.append(Path(found).resolve().parent)
    if pg_config := shutil.which("pg_config", path=path):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/").glob(pattern.lstrip("/")), key=_version_key, reverse=True)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "postgres").is_file():
            return directory
    raise BinariesNotFoundError(
        "no PostgreSQL server binaries (initdb, postgres) found in PGTDD_PG_BIN, PATH, "
        f"pg_config --bindir or {pattern}. Install them (apt-get install postgresql-15) and "
        "set PGTDD_PG_BIN to their folder, or use the container profile."
    )


def _version_key(path: Path) -> int:
    try:
        return int(path.parent.name.split(".")[0])
    except ValueError:
        return 0


def free_port(preferred: int) -> int:
    """``preferred`` when it is free, else one the kernel picks."""
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> tuple[str | None, int, int]:
    """PostgreSQL refuses to run as root: as root, run as the ``postgres`` system user."""
    if os.geteuid() != 0:
        return None, os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise BinariesNotFoundError(
            "the native provider runs as root here, and PostgreSQL refuses root: create a "
            "'postgres' system user (the postgresql package does) or run pytest as another user"
        ) from None
    return "postgres", entry.pw_uid, entry.pw_gid


class NativeProvider:
    """initdb + postgres in a temporary directory; everything removed at :meth:`stop`."""

    name = "native"

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.workdir: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.notes: list[str] = []

    def start(self) -> ServerInfo:
        """Create the cluster, start the server, create the database, verify the settings."""
        bin_dir = find_bin_dir(self.profile.pg_bin)
        user, uid, gid = _run_as()
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        self.workdir = Path(tempfile.mkdtemp(prefix="pgtdd-native-", dir=base))
        os.chown(self.workdir, uid, gid)
        try:
            return self._start(bin_dir, user)
        except BaseException:
            self.stop()
            raise

    def _start(self, bin_dir: Path, user: str | None) -> ServerInfo:
        assert self.workdir is not None
        profile = self.profile
        data, log = self.workdir / "data", self.workdir / "server.log"
        pwfile = self.workdir / "pw"
        pwfile.write_text(profile.password + "\n")
        os.chown(pwfile, *_ids(user))
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                profile.user,
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            user,
        )
        pwfile.unlink()
        port = free_port(profile.host_port)
        if profile.host_port and port != profile.host_port:
            self.notes.append(f"port {profile.host_port} is taken: using port {port}")
        command = [
            str(bin_dir / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(self.workdir),
            "-c",
            "listen_addresses=127.0.0.1",
        ]
        for name, value in profile.server_settings.items():
            command += ["-c", f"{name}={value}"]
        with open(log, "wb") as log_file:
            self.process = subprocess.Popen(
                command,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=user,
            )
        admin = ServerInfo(
            host="127.0.0.1",
            port=port,
            user=profile.user,
            password=profile.password,
            database="postgres",
            provider=self.name,
            profile=profile.name,
        )
        version = wait_until_ready(
            admin, profile.retry, connect_timeout=profile.timeouts.connect, logs=lambda: _tail(log)
        )
        if self.process.poll() is not None:
            raise ServerStartError(f"postgres exited at start-up:\n{_tail(log)}")
        with psycopg.connect(admin.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(profile.database)))
        server = admin.with_database(profile.database)
        settings = verify_settings(server, profile.server_settings)
        return replace(
            server, version=version, settings=settings, image=str(bin_dir), notes=tuple(self.notes)
        )

    def health(self) -> ServerState:
        """Whether the postmaster still runs; if not, how it ended and its log's last lines."""
        log = self.workdir / "server.log" if self.workdir is not None else None
        return process_state(self.process, log)

    def release(self) -> None:
        """The same as :meth:`stop`."""
        self.stop()

    def stop(self) -> None:
        """Fast shutdown of the server and removal of its directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


def _ids(user: str | None) -> tuple[int, int]:
    if user is None:
        return os.getuid(), os.getgid()
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid


def _run(command: list[str], user: str | None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, user=user, check=False)
    if result.returncode != 0:
        raise ServerStartError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
