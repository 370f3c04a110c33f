"""Build the tuned PostgreSQL image ``pgtdd/postgres:15``.

Two ways, one result (the Dockerfile in ``docker/`` is always the last step):

* **Dockerfile build** on top of an official ``postgres:15`` image, used when that image is
  present locally or a registry answers.
* **Offline build**, for hosts with no registry: ``mmdebstrap`` installs Debian's
  ``postgresql-15`` (from the mirror the host's apt already uses) into a root filesystem,
  ``docker import`` turns it into ``pgtdd/postgres-base:15`` (the official image's contract,
  through the project's own entrypoint, with no pre-initialised data), and the same Dockerfile
  is built on it with ``--build-arg BASE_IMAGE=pgtdd/postgres-base:15``.

Images carry a label with a hash of their sources, so :func:`ensure_image` rebuilds a stale one.

Command line (until ``pgtdd image build`` is wired to :func:`build_image`)::

    python -m pgtdd.providers.image build [--offline | --online] [--tag TAG]
    python -m pgtdd.providers.image ensure        # build only when absent or stale
    python -m pgtdd.providers.image present TAG   # exit status 0 when the image exists
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgtdd.providers import engine

DEFAULT_TAG = "pgtdd/postgres:15"
BASE_TAG = "pgtdd/postgres-base:15"
OFFICIAL_BASE = "postgres:15"
PG_MAJOR = "15"
DEBIAN_SUITE = "bookworm"  # the Debian release whose postgresql-15 the offline image uses
# The build files ship as package data (``pgtdd/providers/image_files`` in a wheel); in a source
# checkout (an editable install maps no data-only folder) they are the repository's docker/.
_PACKAGED = Path(__file__).resolve().parent / "image_files"
DOCKER_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "docker"
SOURCE_HASH_LABEL = "org.pgtdd.source_hash"
TUNED_SOURCES = ("Dockerfile", "pgtdd-entrypoint.sh", "pgtdd-build-seed.sh", "tuned.conf")
REGISTRY_TIMEOUT_S = 5.0
BOOTSTRAP_HINT = "bash scripts/bootstrap.sh"

# Everything below is left out of the offline root filesystem: documentation, and the LLVM JIT
# (about 110 MB; the tuned settings turn jit off, and without the provider pg_jit_available()
# is simply false).
DPKG_EXCLUDES = (
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/locale/*",
    "path-include=/usr/share/locale/locale.alias",
    "path-exclude=/usr/share/lintian/*",
    f"path-exclude=/usr/lib/postgresql/{PG_MAJOR}/lib/bitcode/*",
    f"path-exclude=/usr/lib/postgresql/{PG_MAJOR}/lib/llvmjit*",
    "path-exclude=/usr/lib/*/libLLVM-*",
)
BASE_PACKAGES = (f"postgresql-{PG_MAJOR}",)
# `docker import --change` takes no STOPSIGNAL (engine 20.10): the tuned image's Dockerfile
# sets STOPSIGNAL SIGINT (fast shutdown), as the official image does.
BASE_CHANGES = (
    f"ENV PATH=/usr/lib/postgresql/{PG_MAJOR}/bin:/usr/local/sbin:/usr/local/bin:"
    "/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    "ENV PGDATA=/var/lib/postgresql/data",
    "EXPOSE 5432",
    'ENTRYPOINT ["pgtdd-entrypoint.sh"]',
    'CMD ["postgres"]',
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

Progress = Callable[[str], None]


class ImageBuildError(RuntimeError):
    """An image build failed; the message names the cause and the fix."""


class _Clock:
    """Prefixes progress lines with the seconds elapsed since the build started."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._start = time.monotonic()

    def __call__(self, message: str) -> None:
        self._progress(f"[{time.monotonic() - self._start:6.1f}s] {message}")

    def elapsed(self) -> float:
        return time.monotonic() - self._start


# --------------------------------------------------------------------------- docker access


def docker_client(timeout: float = 60.0) -> Any:
    """A docker-py client for the local engine, or ImageBuildError saying how to start one."""
    try:
        return engine.docker_client(timeout)
    except engine.DockerUnavailableError as exc:
        raise ImageBuildError(
            f"cannot reach the Docker engine ({exc.cause}): start it (dockerd), "
            f"or run `{BOOTSTRAP_HINT}`, which installs and starts it"
        ) from None


@contextlib.contextmanager
def _engine(client: Any = None, timeout: float = 60.0) -> Iterator[Any]:
    """The given client, or a new one that is closed afterwards."""
    if client is not None:
        yield client
        return
    own = docker_client(timeout=timeout)
    try:
        yield own
    finally:
        own.close()


def image_labels(tag: str, client: Any = None) -> dict[str, str] | None:
    """The labels of a local image, or None when the image is not present."""
    import docker.errors

    with _engine(client) as engine:
        try:
            image = engine.images.get(tag)
        except docker.errors.ImageNotFound:
            return None
    labels = image.attrs.get("Config", {}).get("Labels") or {}
    return {str(k): str(v) for k, v in labels.items()}


def image_present(tag: str) -> bool:
    """True when the image ``tag`` exists in the local engine.

    Raises :class:`ImageBuildError` (cause and fix) when no Docker engine answers.
    """
    return image_labels(tag) is not None


def registry_answers(image: str = OFFICIAL_BASE, client: Any = None) -> bool:
    """True when the engine can resolve ``image`` in its registry (quick, bounded check)."""
    import docker
    import requests

    with _engine(client) as engine:
        usual = engine.api.timeout
        engine.api.timeout = REGISTRY_TIMEOUT_S
        try:
            engine.api.inspect_distribution(image)
        except (docker.errors.DockerException, requests.RequestException):
            return False
        finally:
            engine.api.timeout = usual
    return True


# --------------------------------------------------------------------------- source hashes


def _require_docker_dir() -> Path:
    if not (DOCKER_DIR / "Dockerfile").is_file():
        raise ImageBuildError(
            f"{DOCKER_DIR}/Dockerfile not found: the image build files are missing from this "
            "pgtdd installation; reinstall it (pip install --force-reinstall pgtdd)"
        )
    return DOCKER_DIR


def _hash_files(paths: Iterable[Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def tuned_source_hash() -> str:
    """Hash of the files in docker/ that the Dockerfile build copies or runs."""
    docker_dir = _require_docker_dir()
    return _hash_files(docker_dir / name for name in TUNED_SOURCES)


def base_source_hash() -> str:
    """Hash of everything the offline base image depends on."""
    docker_dir = _require_docker_dir()
    return _hash_files(
        [docker_dir / "pgtdd-entrypoint.sh"],
        DEBIAN_SUITE,
        *BASE_PACKAGES,
        *DPKG_EXCLUDES,
        *BASE_CHANGES,
    )


# --------------------------------------------------------------------------- Debian mirror


@dataclass(frozen=True)
class DebianMirrors:
    """The Debian archive and security mirrors the offline build downloads from."""

    archive: str
    security: str

    def apt_lines(self, suite: str = DEBIAN_SUITE) -> list[str]:
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


# --------------------------------------------------------------------------- offline base


def mmdebstrap_command(mirrors: DebianMirrors, entrypoint: Path) -> list[str]:
    """The mmdebstrap invocation writing the base root filesystem as a tar to stdout."""
    hooks = [
        # postgresql-common creates a "main" cluster on install; the entrypoint makes its own.
        f'rm -rf "$1/var/lib/postgresql/{PG_MAJOR}" "$1/etc/postgresql/{PG_MAJOR}"',
        f'install -m 755 {shlex.quote(str(entrypoint))} "$1/usr/local/bin/pgtdd-entrypoint.sh"',
        'chroot "$1" install -d -o postgres -g postgres -m 2777 /var/run/postgresql',
        'chroot "$1" install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data',
        'mkdir -p "$1/docker-entrypoint-initdb.d"',
    ]
    cmd = [
        "mmdebstrap",
        "--variant=minbase",
        "--format=tar",
        f"--include={','.join(BASE_PACKAGES)}",
        *(f"--dpkgopt={opt}" for opt in DPKG_EXCLUDES),
        *(f"--customize-hook={hook}" for hook in hooks),
        DEBIAN_SUITE,
        "-",
        *mirrors.apt_lines(),
    ]
    return cmd


def _require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ImageBuildError(
            f"{name} not found: apt-get install {package} (or run `{BOOTSTRAP_HINT}`)"
        )
    return path


def _relay_lines(stream: Any, sink: Callable[[str], None], keep: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace").rstrip()
        if line:
            keep.append(line)
            sink(line)


def build_base_image(*, tag: str = BASE_TAG, progress: Progress = print) -> str:
    """Build ``pgtdd/postgres-base:15`` from Debian packages (mmdebstrap + docker import)."""
    clock = progress if isinstance(progress, _Clock) else _Clock(progress)
    docker_dir = _require_docker_dir()
    _require_tool("mmdebstrap", "mmdebstrap")
    docker_cli = _require_tool("docker", "docker.io")
    mirrors = host_debian_mirrors()
    clock(
        f"offline base {tag}: mmdebstrap {DEBIAN_SUITE} + postgresql-{PG_MAJOR} "
        f"from {mirrors.archive} (security: {mirrors.security})"
    )
    staging = f"{tag.rsplit(':', 1)[0]}:staging-{os.getpid()}"
    changes = [
        *BASE_CHANGES,
        f"LABEL org.pgtdd.pg_major={PG_MAJOR} org.pgtdd.preinitialized=false "
        f"{SOURCE_HASH_LABEL}={base_source_hash()}",
    ]
    strap = subprocess.Popen(
        mmdebstrap_command(mirrors, docker_dir / "pgtdd-entrypoint.sh"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert strap.stdout is not None and strap.stderr is not None
    change_args = [arg for change in changes for arg in ("--change", change)]
    import_cmd = [docker_cli, "import", *change_args, "-", staging]
    importer = subprocess.Popen(
        import_cmd, stdin=strap.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    strap.stdout.close()  # the importer holds the read end now
    strap_log: list[str] = []
    import_log: list[str] = []
    reader = threading.Thread(
        target=_relay_lines, daemon=True, args=(importer.stderr, lambda _line: None, import_log)
    )
    reader.start()
    _relay_lines(strap.stderr, lambda line: clock(f"  mmdebstrap: {line}"), strap_log)
    strap_rc = strap.wait()
    out, _ = importer.communicate()
    reader.join()
    if importer.returncode != 0:
        _remove_image(staging)
        raise ImageBuildError(
            f"docker import failed (exit {importer.returncode}): {' '.join(import_log)[-800:]}; "
            "check that the Docker engine is running (`docker info`)"
        )
    if strap_rc != 0:
        _remove_image(staging)
        tail = "\n".join(strap_log[-15:])
        raise ImageBuildError(
            f"mmdebstrap failed (exit {strap_rc}); last lines:\n{tail}\n"
            f"Check that {mirrors.archive} is reachable from this host (set "
            "PGTDD_DEBIAN_MIRROR / PGTDD_DEBIAN_SECURITY_MIRROR to another Debian mirror), "
            "and that this runs as root (mmdebstrap's root mode)."
        )
    clock(f"  docker import: {out.decode().strip()[:19]}")
    with _engine() as engine:
        engine.images.get(staging).tag(tag)
    _remove_image(staging)
    clock(f"offline base {tag} ready")
    return tag


def _image_id(tag: str, client: Any) -> str | None:
    import docker.errors

    try:
        return str(client.images.get(tag).id)
    except docker.errors.ImageNotFound:
        return None


@contextlib.contextmanager
def _replacing(*tags: str) -> Iterator[None]:
    """Remove the images that ``tags`` named before the block, once nothing names them.

    A rebuild moves the tag; the old image would stay behind untagged (about 280 MB each time).
    Images still used by a container or by another image are left alone.
    """
    import docker.errors

    with _engine() as client:
        old = {image_id for tag in tags if (image_id := _image_id(tag, client))}
    yield
    with _engine() as client:
        stale = old - {_image_id(tag, client) for tag in tags}
        for _ in range(2):  # a base is removable only once the image built on it is gone
            for image_id in sorted(stale):
                with contextlib.suppress(docker.errors.APIError):
                    if not client.images.get(image_id).tags:
                        client.images.remove(image_id)


def _remove_image(tag: str) -> None:
    import docker.errors

    with _engine() as engine, contextlib.suppress(docker.errors.ImageNotFound):
        engine.images.remove(tag, noprune=False)


# --------------------------------------------------------------------------- Dockerfile build


def dockerfile_build(*, tag: str, base_image: str, progress: Progress = print) -> str:
    """``docker build`` of docker/Dockerfile on ``base_image``; returns the tag."""
    clock = progress if isinstance(progress, _Clock) else _Clock(progress)
    docker_dir = _require_docker_dir()
    clock(f"docker build {tag} from {docker_dir} (BASE_IMAGE={base_image})")
    tail: list[str] = []
    with _engine(timeout=600) as engine:
        stream = engine.api.build(
            path=str(docker_dir),
            tag=tag,
            buildargs={"BASE_IMAGE": base_image},
            labels={SOURCE_HASH_LABEL: tuned_source_hash()},
            rm=True,
            forcerm=True,
            pull=False,
            decode=True,
        )
        for chunk in stream:
            if "error" in chunk:
                detail = "\n".join(tail[-15:])
                raise ImageBuildError(
                    f"docker build of {tag} failed: {chunk['error'].strip()}\n{detail}"
                )
            for line in str(chunk.get("stream", "")).splitlines():
                if not line.strip():
                    continue
                tail.append(line)
                if line.startswith("Step ") or "pgtdd-entrypoint" in line:
                    clock(f"  {line}")
    if not image_present(tag):
        raise ImageBuildError(f"docker build finished but {tag} is missing:\n" + "\n".join(tail))
    clock(f"{tag} ready")
    return tag


# --------------------------------------------------------------------------- entry points


def build_image(
    *,
    offline: bool | None = None,
    tag: str = DEFAULT_TAG,
    progress: Callable[[str], None] = print,
) -> str:
    """Build the tuned image and return its tag.

    ``offline=None`` picks the way: the Dockerfile build on ``postgres:15`` when that image
    is present or a registry answers within a few seconds, else the offline build.
    ``offline=True`` always builds the Debian base first (mmdebstrap + docker import);
    ``offline=False`` never does.
    """
    clock = _Clock(progress)
    _require_docker_dir()
    if offline is None:
        offline = _choose_offline(clock)
    with _replacing(tag, BASE_TAG):
        if offline:
            build_base_image(tag=BASE_TAG, progress=clock)
            base = BASE_TAG
        else:
            base = OFFICIAL_BASE
        dockerfile_build(tag=tag, base_image=base, progress=clock)
    clock(f"done in {clock.elapsed():.1f}s")
    return tag


def _choose_offline(clock: _Clock) -> bool:
    with _engine() as client:
        if image_labels(OFFICIAL_BASE, client) is not None:
            clock(f"{OFFICIAL_BASE} is present locally: Dockerfile build")
            return False
        if registry_answers(OFFICIAL_BASE, client):
            clock(f"a registry answers for {OFFICIAL_BASE}: Dockerfile build (pulls it)")
            return False
    clock(f"{OFFICIAL_BASE} is not present and no registry answers: offline build")
    return True


def image_is_current(tag: str = DEFAULT_TAG) -> bool:
    """True when ``tag`` exists and was built from the docker/ folder as it is now."""
    labels = image_labels(tag)
    return labels is not None and labels.get(SOURCE_HASH_LABEL) == tuned_source_hash()


def ensure_image(*, tag: str = DEFAULT_TAG, progress: Progress = print) -> str:
    """Build ``tag`` unless it exists and is current (offline base reused when current)."""
    if image_is_current(tag):
        progress(f"{tag} is present and built from this checkout's docker/ folder")
        return tag
    progress(f"{tag} is {'missing' if not image_present(tag) else 'stale'}: building it")
    base_labels = image_labels(BASE_TAG)
    base_current = (
        base_labels is not None and base_labels.get(SOURCE_HASH_LABEL) == base_source_hash()
    )
    if base_current and not image_present(OFFICIAL_BASE):
        clock = _Clock(progress)
        clock(f"reusing the current offline base {BASE_TAG}")
        with _replacing(tag):
            dockerfile_build(tag=tag, base_image=BASE_TAG, progress=clock)
        clock(f"done in {clock.elapsed():.1f}s")
        return tag
    return build_image(tag=tag, progress=progress)


def main(argv: list[str] | None = None) -> int:
    """``python -m pgtdd.providers.image build|ensure``."""
    parser = argparse.ArgumentParser(
        prog="python -m pgtdd.providers.image",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the tuned image")
    mode = build.add_mutually_exclusive_group()
    mode.add_argument("--offline", dest="offline", action="store_true", default=None)
    mode.add_argument("--online", dest="offline", action="store_false")
    build.add_argument("--tag", default=DEFAULT_TAG)
    ensure = sub.add_parser("ensure", help="build the tuned image when absent or stale")
    ensure.add_argument("--tag", default=DEFAULT_TAG)
    present = sub.add_parser("present", help="exit 0 when the image exists")
    present.add_argument("tag", nargs="?", default=DEFAULT_TAG)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build_image(offline=args.offline, tag=args.tag)
        elif args.command == "ensure":
            ensure_image(tag=args.tag)
        else:
            return 0 if image_present(args.tag) else 1
    except ImageBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
