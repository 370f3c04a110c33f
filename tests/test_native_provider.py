"""The native provider: a throw-away cluster from local binaries, tuned like the container."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import psycopg
import pytest

from pgtdd.config.profile import load_profile
from pgtdd.providers.native import BinariesNotFoundError, NativeProvider, find_bin_dir


def test_native_cluster_is_tuned_and_removed_at_stop() -> None:
    try:
        find_bin_dir(os.environ.get("PGTDD_PG_BIN"))
    except BinariesNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    profile = dataclasses.replace(load_profile("native", environ={}), host_port=0)
    provider = NativeProvider(profile)
    server = provider.start()
    workdir, process = provider.workdir, provider.process
    try:
        assert server.provider == "native" and server.version.startswith("15")
        with psycopg.connect(server.url) as conn:
            assert conn.execute("SHOW fsync").fetchone() == ("off",)
            assert conn.execute("SELECT current_database()").fetchone() == ("dataflow_test",)
    finally:
        provider.stop()
    assert workdir is not None and not workdir.exists()
    assert process is not None and process.poll() is not None


def test_missing_binaries_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(
        BinariesNotFoundError, match=r"PGTDD_PG_BIN, PATH, pg_config.*postgresql-15"
    ):
        find_bin_dir(str(tmp_path), path=str(tmp_path), pattern="/nonexistent/*/bin")


def test_health_names_a_killed_postmaster_with_its_log() -> None:
    try:
        find_bin_dir(os.environ.get("PGTDD_PG_BIN"))
    except BinariesNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    profile = dataclasses.replace(load_profile("native", environ={}), host_port=0)
    provider = NativeProvider(profile)
    provider.start()
    try:
        assert provider.health().alive
        assert provider.process is not None
        provider.process.kill()
        provider.process.wait(timeout=30)
        state = provider.health()
        assert not state.alive and "was killed by SIGKILL" in state.what, state
        assert "database system is ready to accept connections" in state.log_tail
    finally:
        provider.stop()
