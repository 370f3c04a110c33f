"""Which image a container session runs: the profile's candidates for the asked major, and
what to say when none is here or can be pulled."""

from __future__ import annotations

from typing import Any

from pgtdd.serverinfo import ServerInfo


class ImageUnavailableError(RuntimeError):
    """None of the profile's images is present or can be pulled."""


def choose_image(client: Any, candidates: tuple[str, ...], version: int | None = None) -> str:
    """The first candidate present locally, else the first that can be pulled.

    When none is, the error names the majors whose images are here and how to build the
    asked one (``version``).
    """
    from docker.errors import DockerException, ImageNotFound

    for name in candidates:
        try:
            client.images.get(name)
            return name
        except ImageNotFound:
            continue
    failures = []
    for name in candidates:
        try:
            client.images.pull(name)
            return name
        except DockerException as exc:
            # The engine's whole reason (e.g. the registry's DNS error), not a cut-off URL.
            reason = getattr(exc, "explanation", None) or str(exc)
            failures.append(f"{name}: {' '.join(str(reason).split())}")
    raise ImageUnavailableError(_no_image_message(client, failures, version))


def _no_image_message(client: Any, failures: list[str], version: int | None) -> str:
    asked = f"PostgreSQL {version}: " if version is not None else ""
    build = "pgtdd image build" + (f" --version {version}" if version is not None else "")
    here = local_majors(client)
    have = (
        "images here give PostgreSQL " + ", ".join(str(n) for n in here) + " (--db-version N)"
        if here
        else "no pgtdd/postgres or postgres image is here"
    )
    return (
        f"{asked}none of the profile's images is present or can be pulled ("
        + "; ".join(failures)
        + f"). {have}. Build the tuned image with `{build}` (`--offline` on hosts with no "
        "registry), or list an image you have in the profile; without Docker, "
        "`pip install 'pgtdd[embedded]'` and `--db-profile native` give PostgreSQL 18."
    )


def local_majors(client: Any) -> list[int]:
    """The majors of the ``pgtdd/postgres:N`` and ``postgres:N`` images present locally."""
    from docker.errors import DockerException

    found: set[int] = set()
    try:
        images = client.images.list()
    except DockerException:
        return []
    for image in images:
        for tag in image.tags:
            name, _, label = tag.rpartition(":")
            if name in ("pgtdd/postgres", "postgres") and label.isdigit():
                found.add(int(label))
    return sorted(found)


def image_fix(server: ServerInfo, version: int | None) -> str:
    """Why an image of another major is wrong, and how to get one of ``version``."""
    return (
        f"image {server.image} is not of PostgreSQL {version}: put an image of {version} first "
        f"in the profile's `image` list (`pgtdd image build --version {version}` builds "
        f"pgtdd/postgres:{version})"
    )
