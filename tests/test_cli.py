"""The command line: up prints a masked URL and leaves a reusable server, status lists it, down
removes it."""

from __future__ import annotations

import re
import subprocess
import sys

import psycopg

from tests.test_parallel import docker_or_fail


def pgtdd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pgtdd.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_up_status_down_round_trip(tmp_path: object) -> None:
    docker_or_fail().close()
    profile = f"{tmp_path}/cli.yaml"
    with open(profile, "w") as handle:  # settings of its own: never a developer's container
        handle.write("extends: container\nserver_settings:\n  work_mem: 6MB\n")
    up = pgtdd("up", "--profile", profile, "--port", "0")
    try:
        assert up.returncode == 0, up.stderr
        assert "dataflow_test_password" not in up.stdout + up.stderr
        url_line = next(line for line in up.stdout.splitlines() if line.startswith("URL: "))
        assert ":***@" in url_line
        shown = pgtdd("up", "--profile", profile, "--port", "0", "--show-password")
        real_url = shown.stdout.split("URL: ", 1)[1].split()[0]
        assert "reused container" in shown.stdout  # the second `up` found the first's server
        with psycopg.connect(real_url) as conn:
            assert conn.execute("SHOW work_mem").fetchone() == ("6MB",)
        container = re.search(r"\(container ([0-9a-f]{12})", up.stdout)
        assert container, up.stdout
        status = pgtdd("status")
        assert status.returncode == 0
        (row,) = [line for line in status.stdout.splitlines() if line.startswith(container[1])]
        assert "reuse" in row
    finally:
        down = pgtdd("down")
    assert down.returncode == 0 and "removed" in down.stdout
    assert container[1] not in pgtdd("status").stdout


def test_bad_profile_is_a_clear_cli_error() -> None:
    result = pgtdd("up", "--profile", "staging")
    assert result.returncode == 1
    assert "unknown profile 'staging'; valid profiles:" in result.stderr


def test_each_subcommand_module_adds_the_commands_main_lists_for_it() -> None:
    import argparse
    import importlib

    from pgtdd.cli.main import SUBCOMMANDS, build_parser

    for module, commands in SUBCOMMANDS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(module).add_subcommands(sub)
        assert tuple(sub.choices) == commands, module
    only = build_parser("migrate")._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert "migrate" in only and "doctor" not in only and "up" in only


def test_up_help_says_env_prints_the_password() -> None:
    shown = pgtdd("up", "--help")
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split())  # argparse wraps the lines
    assert "--env" in text and "PRINTS THE PASSWORD" in text
    assert "--db-version MAJOR" in text
