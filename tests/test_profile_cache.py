"""The profile cache: an unchanged file is read without PyYAML, to the same profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pgtdd.config import profile_yaml
from pgtdd.config.profile import ProfileError, builtin_profiles, load_profile

RICH = """\
extends: container
description: every kind of value, nested sections, lists and interpolations
version: 17
image:
  - ${APP_IMAGE:-registry.example/pg:{version}}
  - postgres:{version}
host_port: ${APP_PORT:-6544}
tmpfs: false
reuse: true
schema:
  - db/schema.sql
server_settings:
  work_mem: "8MB"
  log_min_duration_statement: 0
pool:
  min_size: 1
  max_size: ${APP_POOL:-4}
timeouts:
  statement: 12.5
"""


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "pgtdd" / "profiles"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.mark.parametrize("name", builtin_profiles())
def test_a_cached_builtin_profile_is_the_profile_parsed(name: str, cache_home: Path) -> None:
    parsed = load_profile(name, environ={})
    assert entries(cache_home)
    assert load_profile(name, environ={}) == parsed


def test_a_cached_profile_interpolates_the_environment_of_each_load(
    tmp_path: Path, cache_home: Path
) -> None:
    path = tmp_path / "rich.yaml"
    path.write_text(RICH)
    first = load_profile(str(path), environ={})
    assert entries(cache_home)
    environ = {"APP_IMAGE": "mine/pg:{version}", "APP_PORT": "7000", "APP_POOL": "9"}
    second = load_profile(str(path), environ=environ)
    assert first.image[0] == "registry.example/pg:17" and first.host_port == 6544
    assert (second.image[0], second.host_port, second.pool.max_size) == ("mine/pg:17", 7000, 9)
    assert second.sources["pool.max_size"] == first.sources["pool.max_size"]
    assert first.server_settings["log_min_duration_statement"] == "0"
    # the environment's values are never written down
    assert "mine/pg" not in "".join(p.read_text() for p in entries(cache_home))


def test_an_edited_profile_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("extends: container\nhost_port: 6001\n")
    assert load_profile(str(path), environ={}).host_port == 6001
    path.write_text("extends: container\nhost_port: 6002\n")  # same size
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_profile(str(path), environ={}).host_port == 6002


def test_a_damaged_cache_entry_is_parsed_again(tmp_path: Path, cache_home: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("extends: container\nhost_port: 6003\n")
    load_profile(str(path), environ={})
    for entry in entries(cache_home):
        data = json.loads(entry.read_text())
        data["root"] = ["m", 1, [["garbage"]]]
        entry.write_text(json.dumps(data))
    assert load_profile(str(path), environ={}).host_port == 6003
    for entry in entries(cache_home):
        entry.write_text("{not json")
    assert load_profile(str(path), environ={}).host_port == 6003


def test_errors_from_a_cached_file_still_name_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("extends: container\n\npool:\n  max_size: many\n")
    for _ in range(2):  # parsed, then from the cache
        with pytest.raises(ProfileError, match=r"bad\.yaml:4: pool\.max_size must be int"):
            load_profile(str(path), environ={})


def test_an_unchanged_profile_loads_without_pyyaml(tmp_path: Path) -> None:
    path = tmp_path / "rich.yaml"
    path.write_text(RICH)
    probe = (
        "import sys; from pgtdd.config.profile import load_profile; "
        f"p = load_profile({str(path)!r}, environ={{}}); "
        "print(p.image[0], 'yaml' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["registry.example/pg:17", "True"], ["registry.example/pg:17", "False"]]


def test_the_cache_keeps_its_newest_entries(tmp_path: Path, cache_home: Path) -> None:
    for n in range(profile_yaml.CACHE_ENTRIES + 5):
        path = tmp_path / f"p{n}.yaml"
        path.write_text(f"extends: container\nhost_port: {6000 + n}\n")
        load_profile(str(path), environ={})
    assert len(entries(cache_home)) == profile_yaml.CACHE_ENTRIES


@pytest.mark.parametrize(
    "text",
    [
        "pgtdd/postgres:18",
        "postgresql://u:p%40ss@db.example:5433/app?sslmode=disable",
        "/usr/lib/postgresql/18/bin",
        "abc:",
        "a:b",
        "yes",
        "Off",
        "null",
        "~",
        "18",
        "0",
        "0123",
        "5433",
        "12.5",
        "1_000",
        "0x1F",
        "1:20",
        ".inf",
        "-5",
        "2026-12-03",
        "=",
        "<<",
        "key: value",
        "a #comment",
        "[a, b]",
        "{a: 1}",
        "*alias",
        "&anchor x",
        "!tag x",
        "%x",
        "@x",
        "`x",
        "|x",
        ">x",
        "'q'",
        '"q"',
        "- item",
        "? key",
        "Example",
        "pgtdd/postgres:{version}",
        "a{b}",
        "x,y",
        "p[1]",
        "a]",
        "example.com",
        "e5",
        "E5",
    ],
)
def test_the_plain_text_shortcut_agrees_with_pyyaml(text: str) -> None:
    node = profile_yaml.Node("scalar", 1, profile_yaml.STR_TAG, "${X}")
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        expected = "error"
    try:
        got = profile_yaml.node_value(node, {"X": text}, "p.yaml:1")
    except yaml.YAMLError:
        got = "error"
    assert got == expected
