"""Build the tuned PostgreSQL images ``pgtdd/postgres:<major>`` (15, 16, 17, 18).

Two ways, one result (the Dockerfile in ``docker/`` is always the last step, with
``--build-arg PG_MAJOR=<major>``):

* **Dockerfile build** on top of the official ``postgres:<major>`` image, used when that image
  is present locally or a registry answers.
* **Offline build**, for hosts with no registry: :mod:`pgtdd.providers.image_offline` makes
  ``pgtdd/postgres-base:<major>`` from distribution packages (mmdebstrap + docker import), and
  the same Dockerfile is built on it.

Images carry a label with a hash of their sources, so :func:`ensure_image` rebuilds a stale one.

Command line (``pgtdd image build`` calls :func:`build_image` too)::

    python -m pgtdd.providers.image build [--offline | --online] [--version N] [--tag TAG]
    python -m pgtdd.providers.image ensure [--version N]...  # build only when absent or stale
    python -m pgtdd.providers.image present TAG              # exit status 0 when it exists
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pgtdd.config.versions import DEFAULT_VERSION, MAJORS, Major, VersionError, parse_version
from pgtdd.providers.image_engine import (
    DOCKER_DIR,
    SOURCE_HASH_LABEL,
    Clock,
    ImageBuildError,
    Progress,
    clock_of,
    connected,
    docker_client,
    hash_files,
    image_labels,
    image_present,
    registry_answers,
    replacing,
    require_docker_dir,
)
from pgtdd.providers.image_offline import base_source_hash, build_base_image

TUNED_SOURCES = ("Dockerfile", "pgtdd-entrypoint.sh", "pgtdd-build-seed.sh", "tuned.conf")
DEFAULT_TAG = MAJORS[DEFAULT_VERSION].image
__all__ = ["DOCKER_DIR", "ImageBuildError", "docker_client", "image_labels", "image_present"]


def major(version: int | str | None) -> Major:
    """The table entry of ``version`` (default: the default major); ImageBuildError naming
    the choices for one pgtdd does not build."""
    try:
        return MAJORS[parse_version(DEFAULT_VERSION if version is None else version, "--version")]
    except VersionError as exc:
        raise ImageBuildError(str(exc)) from None


def tuned_source_hash(number: int = DEFAULT_VERSION) -> str:
    """Hash of the files in docker/ that the Dockerfile build copies or runs, and the major."""
    docker_dir = require_docker_dir()
    return hash_files((docker_dir / name for name in TUNED_SOURCES), f"PG_MAJOR={number}")


# --------------------------------------------------------------------------- Dockerfile build


def dockerfile_build(
    *, tag: str, base_image: str, number: int = DEFAULT_VERSION, progress: Progress = print
) -> str:
    """``docker build`` of docker/Dockerfile on ``base_image`` for major ``number``."""
    clock = clock_of(progress)
    docker_dir = require_docker_dir()
    clock(f"docker build {tag} from {docker_dir} (PG_MAJOR={number}, BASE_IMAGE={base_image})")
    tail: list[str] = []
    with connected(timeout=600) as client:
        stream = client.api.build(
            path=str(docker_dir),
            tag=tag,
            buildargs={"PG_MAJOR": str(number), "BASE_IMAGE": base_image},
            labels={SOURCE_HASH_LABEL: tuned_source_hash(number)},
            rm=True,
            forcerm=True,
            pull=False,
            decode=True,
        )
        for chunk in stream:
            if "error" in chunk:
                raise ImageBuildError(_build_failure(tag, base_image, number, chunk, tail))
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


def _build_failure(
    tag: str, base_image: str, number: int, chunk: dict[str, Any], tail: list[str]
) -> str:
    message = f"docker build of {tag} on {base_image} failed: {chunk['error'].strip()}"
    if not any(line.startswith("Step 4/") for line in tail):  # FROM did not get its image
        message += (
            f"\nThe base image {base_image} is not here and cannot be pulled: "
            f"`pgtdd image build --offline --version {number}` builds one from packages."
        )
    return message + "\n" + "\n".join(tail[-15:])


# --------------------------------------------------------------------------- entry points


def build_image(
    *,
    offline: bool | None = None,
    version: int | str | None = None,
    tag: str | None = None,
    progress: Progress = print,
) -> str:
    """Build the tuned image of ``version`` (default 18) and return its tag.

    ``offline=None`` picks the way: the Dockerfile build on ``postgres:<major>`` when that
    image is present or a registry answers within a few seconds, else the offline build.
    ``offline=True`` always builds the base from packages first; ``offline=False`` never does.
    """
    facts = major(version)
    tag = tag or facts.image
    clock = Clock(progress)
    require_docker_dir()
    if offline is None:
        offline = _choose_offline(facts, clock)
    with replacing(tag, facts.base_image):
        base = build_base_image(facts.number, progress=clock) if offline else facts.official_image
        dockerfile_build(tag=tag, base_image=base, number=facts.number, progress=clock)
    clock(f"done in {clock.elapsed():.1f}s")
    return tag


def _choose_offline(facts: Major, clock: Clock) -> bool:
    official = facts.official_image
    with connected() as client:
        if image_labels(official, client) is not None:
            clock(f"{official} is present locally: Dockerfile build")
            return False
        if registry_answers(official, client):
            clock(f"a registry answers for {official}: Dockerfile build (pulls it)")
            return False
    clock(f"{official} is not present and no registry answers: offline build")
    return True


def image_is_current(tag: str | None = None, version: int | str | None = None) -> bool:
    """True when the image exists and was built from the docker/ folder as it is now."""
    facts = major(version)
    labels = image_labels(tag or facts.image)
    return labels is not None and labels.get(SOURCE_HASH_LABEL) == tuned_source_hash(facts.number)


def ensure_image(
    *, version: int | str | None = None, tag: str | None = None, progress: Progress = print
) -> str:
    """Build the image of ``version`` unless it exists and is current (a current offline
    base is reused)."""
    facts = major(version)
    tag = tag or facts.image
    if image_is_current(tag, facts.number):
        progress(f"{tag} is present and built from this checkout's docker/ folder")
        return tag
    progress(f"{tag} is {'missing' if not image_present(tag) else 'stale'}: building it")
    base_labels = image_labels(facts.base_image)
    base_current = base_labels is not None and base_labels.get(
        SOURCE_HASH_LABEL
    ) == base_source_hash(facts)
    if base_current and not image_present(facts.official_image):
        clock = Clock(progress)
        clock(f"reusing the current offline base {facts.base_image}")
        with replacing(tag):
            dockerfile_build(
                tag=tag, base_image=facts.base_image, number=facts.number, progress=clock
            )
        clock(f"done in {clock.elapsed():.1f}s")
        return tag
    return build_image(version=facts.number, tag=tag, progress=progress)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pgtdd.providers.image",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the tuned image of a major")
    mode = build.add_mutually_exclusive_group()
    mode.add_argument("--offline", dest="offline", action="store_true", default=None)
    mode.add_argument("--online", dest="offline", action="store_false")
    build.add_argument("--version", help=f"PostgreSQL major (default {DEFAULT_VERSION})")
    build.add_argument("--tag", help="image tag (default pgtdd/postgres:<major>)")
    ensure = sub.add_parser("ensure", help="build the images when absent or stale")
    ensure.add_argument("--version", action="append", help="a major; repeat for several")
    present = sub.add_parser("present", help="exit 0 when the image exists")
    present.add_argument("tag", nargs="?", default=DEFAULT_TAG)
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m pgtdd.providers.image build|ensure|present``."""
    args: Any = _parser().parse_args(argv)
    try:
        if args.command == "build":
            build_image(offline=args.offline, version=args.version, tag=args.tag)
        elif args.command == "ensure":
            for version in args.version or [None]:
                ensure_image(version=version)
        else:
            return 0 if image_present(args.tag) else 1
    except ImageBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
