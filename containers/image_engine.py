"""What every step of an image build shares: the error, progress lines, the engine, tags.

Used by :mod:`pgtdd.providers.image` (the Dockerfile build and the entry points) and
:mod:`pgtdd.providers.image_offline` (the base image from distribution packages).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pgtdd.providers import engine

# The build files ship as package data (``pgtdd/providers/image_files`` in a wheel); in a source
# checkout (an editable install maps no data-only folder) they are the repository's docker/.
_PACKAGED = Path(__file__).resolve().parent / "image_files"
DOCKER_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[1] / "docker"
SOURCE_HASH_LABEL = "org.pgtdd.source_hash"
REGISTRY_TIMEOUT_S = 5.0
BOOTSTRAP_HINT = "bash scripts/bootstrap.sh"

Progress = Callable[[str], None]


class ImageBuildError(RuntimeError):
    """An image build failed; the message names the cause and the fix."""


class Clock:
    """Prefixes progress lines with the seconds elapsed since the build started."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._start = time.monotonic()

    def __call__(self, message: str) -> None:
        self._progress(f"[{time.monotonic() - self._start:6.1f}s] {message}")

    def elapsed(self) -> float:
        """Seconds since the build started."""
        return time.monotonic() - self._start


def clock_of(progress: Progress) -> Clock:
    """``progress`` itself when it is a :class:`Clock` already, else a new one on it."""
    return progress if isinstance(progress, Clock) else Clock(progress)


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
def connected(client: Any = None, timeout: float = 60.0) -> Iterator[Any]:
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

    with connected(client) as engine_client:
        try:
            image = engine_client.images.get(tag)
        except docker.errors.ImageNotFound:
            return None
    labels = image.attrs.get("Config", {}).get("Labels") or {}
    return {str(k): str(v) for k, v in labels.items()}


def image_present(tag: str) -> bool:
    """True when the image ``tag`` exists in the local engine.

    Raises :class:`ImageBuildError` (cause and fix) when no Docker engine answers.
    """
    return image_labels(tag) is not None


def registry_answers(image: str, client: Any = None) -> bool:
    """True when the engine can resolve ``image`` in its registry (quick, bounded check)."""
    import docker
    import requests

    with connected(client) as engine_client:
        usual = engine_client.api.timeout
        engine_client.api.timeout = REGISTRY_TIMEOUT_S
        try:
            engine_client.api.inspect_distribution(image)
        except (docker.errors.DockerException, requests.RequestException):
            return False
        finally:
            engine_client.api.timeout = usual
    return True


def require_docker_dir() -> Path:
    """The folder of the build files, or ImageBuildError when this installation lacks them."""
    if not (DOCKER_DIR / "Dockerfile").is_file():
        raise ImageBuildError(
            f"{DOCKER_DIR}/Dockerfile not found: the image build files are missing from this "
            "pgtdd installation; reinstall it (pip install --force-reinstall pgtdd)"
        )
    return DOCKER_DIR


def hash_files(paths: Iterable[Path], *extra: str) -> str:
    """A short hash of files (names and contents) and strings."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def require_tool(name: str, package: str) -> str:
    """The path of a command, or ImageBuildError naming the package that has it."""
    path = shutil.which(name)
    if path is None:
        raise ImageBuildError(
            f"{name} not found: apt-get install {package} (or run `{BOOTSTRAP_HINT}`)"
        )
    return path


def image_id(tag: str, client: Any) -> str | None:
    """The id of a local image, or None."""
    import docker.errors

    try:
        return str(client.images.get(tag).id)
    except docker.errors.ImageNotFound:
        return None


@contextlib.contextmanager
def replacing(*tags: str) -> Iterator[None]:
    """Remove the images that ``tags`` named before the block, once nothing names them.

    A rebuild moves the tag; the old image would stay behind untagged (about 280 MB each time).
    Images still used by a container or by another image are left alone.
    """
    import docker.errors

    with connected() as client:
        old = {found for tag in tags if (found := image_id(tag, client))}
    yield
    with connected() as client:
        stale = old - {image_id(tag, client) for tag in tags}
        for _ in range(2):  # a base is removable only once the image built on it is gone
            for stale_id in sorted(stale):
                with contextlib.suppress(docker.errors.APIError):
                    if not client.images.get(stale_id).tags:
                        client.images.remove(stale_id)


def remove_image(tag: str) -> None:
    """Remove a local image by tag (absent: nothing to do)."""
    import docker.errors

    with connected() as client, contextlib.suppress(docker.errors.ImageNotFound):
        client.images.remove(tag, noprune=False)
