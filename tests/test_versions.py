"""The PostgreSQL major as a setting: its sources and their order, image templates, the settings
each major has, and bad values (no database needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgtdd.config.profile import ProfileError, load_profile
from pgtdd.config.settings import resolve_settings
from pgtdd.config.versions import (
    DEFAULT_VERSION,
    MAJORS,
    SUPPORTED,
    has_setting,
    parse_version,
    settings_for,
)
from pgtdd.databases.session_db import template_key
from pgtdd.serverinfo import ServerInfo


def test_the_shipped_profiles_ask_for_the_default_major_and_template_their_images() -> None:
    for name in ("container", "ci", "native"):
        profile = load_profile(name, environ={})
        assert profile.version == DEFAULT_VERSION == 18
        assert profile.source_of("version").startswith("profiles/container.yaml:")
    container = load_profile("container", environ={})
    assert container.image_templates == ("pgtdd/postgres:{version}", "postgres:{version}")
    assert container.image == ("pgtdd/postgres:18", "postgres:18")
    assert load_profile("local", environ={}).version is None  # an existing server: any major


@pytest.mark.parametrize(
    ("cli", "env", "ini", "expected", "source"),
    [
        ("16", {"PGTDD_PG_VERSION": "17"}, "15", 16, "--db-version"),
        (None, {"PGTDD_PG_VERSION": "17"}, "15", 17, "env PGTDD_PG_VERSION"),
        (None, {}, "15", 15, "ini pgtdd_pg_version"),
        (None, {}, None, 18, "profiles/container.yaml:"),
        (None, {"PGTDD_PG_VERSION": " "}, None, 18, "profiles/container.yaml:"),
    ],
)
def test_cli_beats_env_beats_ini_beats_the_profile(
    cli: str | None, env: dict[str, str], ini: str | None, expected: int, source: str
) -> None:
    settings = resolve_settings(
        cli_profile="container", cli_version=cli, ini_version=ini, environ=env
    )
    profile = settings.profile
    assert profile.version == expected
    assert profile.source_of("version").startswith(source)
    assert profile.image == (f"pgtdd/postgres:{expected}", f"postgres:{expected}")


def test_the_image_override_is_templated_too() -> None:
    settings = resolve_settings(
        cli_profile="container",
        cli_image="registry.example/pg:{version}-alpine",
        cli_version="17",
        environ={},
    )
    assert settings.profile.image[0] == "registry.example/pg:17-alpine"
    assert settings.profile.source_of("image") == "--db-image"


@pytest.mark.parametrize("value", ["99", "14", "eighteen", "", "18x", "-1"])
def test_an_unsupported_version_fails_at_once_naming_the_choices(value: str) -> None:
    with pytest.raises(ProfileError) as info:  # while resolving: before any provider exists
        resolve_settings(cli_profile="container", environ={"PGTDD_PG_VERSION": value or "?"})
    message = str(info.value)
    assert message.startswith("env PGTDD_PG_VERSION: PostgreSQL")
    assert "choose one of 15, 16, 17, 18" in message


def test_a_profile_version_is_checked_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("extends: container\nversion: 19\n")
    with pytest.raises(ProfileError, match=r"mine.yaml:2: PostgreSQL '19' is not a version"):
        load_profile(str(path), environ={})
    path.write_text("extends: container\nversion: true\n")
    with pytest.raises(ProfileError, match=r"mine.yaml:2: version must be int or str"):
        load_profile(str(path), environ={})
    path.write_text('extends: container\nversion: "17"\n')
    assert load_profile(str(path), environ={}).image[0] == "pgtdd/postgres:17"


def test_a_templated_image_without_a_version_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("provider: container\nimage: my/pg:{version}\n")
    with pytest.raises(ProfileError, match=r"mine.yaml:2: image 'my/pg:\{version\}'.*`version:`"):
        resolve_settings(cli_profile=str(path), environ={})
    assert resolve_settings(cli_profile=str(path), cli_version="16", environ={}).profile.image == (
        "my/pg:16",
    )


def test_parse_version_accepts_majors_and_minor_versions() -> None:
    assert [parse_version(v, "x") for v in (15, "16", " 17 ", "18.6")] == [15, 16, 17, 18]
    assert SUPPORTED == (15, 16, 17, 18) == tuple(MAJORS)


def test_a_setting_a_major_lacks_is_left_out_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "io.yaml"
    path.write_text(
        "extends: container\nserver_settings:\n  io_method: sync\n  old_snapshot_threshold: '-1'\n"
    )
    on_18 = resolve_settings(cli_profile=str(path), environ={}).profile
    assert on_18.server_settings["io_method"] == "sync"
    assert on_18.settings_left_out == {"old_snapshot_threshold": "removed after PostgreSQL 16"}
    on_15 = resolve_settings(cli_profile=str(path), cli_version="15", environ={}).profile
    assert "io_method" not in on_15.server_settings
    assert on_15.server_settings["old_snapshot_threshold"] == "-1"
    assert on_15.settings_left_out == {"io_method": "new in PostgreSQL 18"}
    assert on_15.server_settings["fsync"] == "off"  # the rest of the bundle stays


def test_every_tuned_setting_exists_in_every_major() -> None:
    tuned = load_profile("container", environ={}).server_settings
    for major in SUPPORTED:
        kept, left_out = settings_for(tuned, major)
        assert kept == dict(tuned) and left_out == {}, major
    assert not has_setting("lc_collate", 16) and has_setting("lc_collate", 15)
    assert has_setting("transaction_timeout", 17) and not has_setting("transaction_timeout", 16)
    assert has_setting("my_extension.setting", 15)  # not built-in: the server judges it


def test_schema_templates_are_keyed_by_the_server_version(tmp_path: Path) -> None:
    schema = tmp_path / "a.sql"
    schema.write_text("CREATE TABLE a (id int);\n")
    base = ServerInfo("h", 1, "u", "p", "d", "container", "container", image="pgtdd/postgres:15")
    on_15 = ServerInfo(**{**base.__dict__, "version": "15.20", "version_num": 150020})
    on_18 = ServerInfo(
        **{**base.__dict__, "version": "18.6", "version_num": 180006, "image": "pgtdd/postgres:18"}
    )
    assert template_key([schema], on_15) != template_key([schema], on_18)
    assert template_key([schema], on_15) == template_key([schema], on_15)


def test_the_image_variable_overrides_the_templated_default() -> None:
    plain = resolve_settings(cli_profile="container", environ={"PGTDD_IMAGE": "my/pg:1"})
    assert plain.profile.image == ("my/pg:1", "postgres:18")
    templated = resolve_settings(
        cli_profile="container",
        environ={"PGTDD_IMAGE": "my/pg:{version}-x", "PGTDD_PG_VERSION": "16"},
    )
    assert templated.profile.image == ("my/pg:16-x", "postgres:16")


def test_reuse_keys_records_and_container_names_differ_per_major() -> None:
    from pgtdd.providers.records import record_path
    from pgtdd.providers.reuse import container_name, reuse_key

    on_15 = resolve_settings(cli_profile="container", cli_version="15", environ={}).profile
    on_18 = resolve_settings(cli_profile="container", cli_version="18", environ={}).profile
    # Even with one image id (a retagged image), two majors never share a reused container.
    assert reuse_key("sha256:x", on_15, "host") != reuse_key("sha256:x", on_18, "host")
    assert container_name(reuse_key("sha256:x", on_15, "host")) != container_name(
        reuse_key("sha256:x", on_18, "host")
    )
    assert record_path(on_15) != record_path(on_18)
