"""A suite split across CI jobs (pytest-split): each shard its own server, each test run once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.test_parallel import docker_or_fail

SUITE = """
import psycopg, pytest

@pytest.mark.parametrize("n", range(10))
def test_shard_member(pgtdd_server, n):
    with psycopg.connect(pgtdd_server.url) as conn:
        conn.execute("CREATE TABLE member (n int)")
        conn.execute("INSERT INTO member VALUES (%s)", (n,))
        assert conn.execute("SELECT count(*) FROM member").fetchone() == (1,)
        conn.rollback()
"""


def test_two_shards_with_the_ci_profile_run_every_test_exactly_once(tmp_path: Path) -> None:
    docker_or_fail().close()
    (tmp_path / "test_suite.py").write_text(textwrap.dedent(SUITE))
    env = {**os.environ, "CI": "true", "PGTDD_PROFILE": ""}
    jobs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "--splits",
                "2",
                "--group",
                str(group),
                f"--junitxml=shard{group}.xml",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for group in (1, 2)
    ]
    outputs = [job.communicate(timeout=300)[0] for job in jobs]
    ran: list[str] = []
    for group, out in zip((1, 2), outputs, strict=True):
        assert "pgtdd: profile ci (chosen by CI detected (env CI)" in out, out
        cases = ET.parse(tmp_path / f"shard{group}.xml").getroot().iter("testcase")
        names = [case.attrib["name"] for case in cases if not list(case)]  # passed: no children
        assert names, out
        ran += names
    assert sorted(ran) == sorted(f"test_shard_member[{n}]" for n in range(10))
    assert len(set(ran)) == len(ran)
