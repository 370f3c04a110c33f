"""Profiles: every source, the selection order, inheritance, interpolation, and each bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pgtdd.config.profile import ProfileError, builtin_profiles, load_profile
from pgtdd.config.settings import choose_profile, resolve_settings


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_builtin_profiles_load_with_the_spec_defaults() -> None:
    assert {"ci", "container", "local", "native"} <= set(builtin_profiles())
    for name in ("ci", "container", "native"):
        profile = load_profile(name, environ={})
        assert profile.host_port == 5433
        assert (profile.user, profile.password, profile.database) == (
            "dataflow_test",
            "dataflow_test_password",
            "dataflow_test",
        )
        for setting in ("jit", "fsync", "synchronous_commit", "full_page_writes"):
            assert profile.server_settings[setting] == "off"
        assert profile.tmpfs is True


def test_ci_extends_container_and_overrides_only_what_it_names() -> None:
    ci = load_profile("ci", environ={})
    container = load_profile("container", environ={})
    assert ci.provider == "container"
    assert ci.image == container.image
    assert ci.pool.max_size == 3 != container.pool.max_size
    assert ci.pool.acquire_timeout == container.pool.acquire_timeout
    assert ci.sources["pool"].startswith("profiles/ci.yaml:")
    assert ci.sources["image"].startswith("profiles/container.yaml:")


def test_local_profile_is_an_external_server_on_5433() -> None:
    local = load_profile("local", environ={})
    assert local.provider == "external"
    assert local.url is not None and local.url.endswith("@localhost:5433/dataflow_test")


@pytest.mark.parametrize(
    ("cli", "env", "ini", "expected"),
    [
        ("native", {"PGTDD_PROFILE": "local", "CI": "true"}, "ci", ("native", "--db-profile")),
        (None, {"PGTDD_PROFILE": "local", "CI": "true"}, "ci", ("local", "env PGTDD_PROFILE")),
        (None, {"CI": "true"}, "native", ("native", "ini pgtdd_profile")),
        (None, {"CI": "true"}, None, ("ci", "CI detected (env CI)")),
        (None, {"GITHUB_ACTIONS": "true"}, None, ("ci", "CI detected (env GITHUB_ACTIONS)")),
        (None, {"GITLAB_CI": "1"}, None, ("ci", "CI detected (env GITLAB_CI)")),
        (None, {"JENKINS_URL": "http://j"}, None, ("ci", "CI detected (env JENKINS_URL)")),
        # what Jenkins sets on every build (JENKINS_URL only when its URL is configured)
        (None, {"JENKINS_HOME": "/var/jenkins"}, None, ("ci", "CI detected (env JENKINS_HOME)")),
        (None, {"BUILD_ID": "17"}, None, ("ci", "CI detected (env BUILD_ID)")),
        (None, {"BUILDKITE": "true"}, None, ("ci", "CI detected (env BUILDKITE)")),
        (None, {"CI": "false"}, None, ("container", "default")),
        (None, {}, None, ("container", "default")),
    ],
)
def test_selection_order(
    cli: str | None, env: dict[str, str], ini: str | None, expected: tuple[str, str]
) -> None:
    assert choose_profile(cli, env, ini) == expected


def test_profile_by_path_with_extends_and_interpolation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.yaml",
        "extends: container\n"
        "host_port: ${MY_PORT:-6543}\n"
        "database: ${MY_DB}\n"
        "reuse: ${MY_REUSE:-false}\n"
        "server_settings:\n  work_mem: 8MB\n",
    )
    profile = load_profile(str(path), environ={"MY_DB": "other_db"})
    assert profile.host_port == 6543
    assert profile.database == "other_db"
    assert profile.reuse is False
    assert profile.server_settings["work_mem"] == "8MB"
    assert profile.server_settings["fsync"] == "off"  # inherited, merged not replaced
    assert load_profile(str(path), environ={"MY_DB": "x", "MY_PORT": "7000"}).host_port == 7000


def test_overrides_from_cli_and_env_record_their_source() -> None:
    settings = resolve_settings(
        cli_profile="container", cli_image="my/pg:15", environ={"PGTDD_PORT": "6000"}
    )
    assert settings.profile.image[0] == "my/pg:15"
    assert settings.profile.host_port == 6000
    assert settings.sources["host_port"] == "env PGTDD_PORT"
    assert settings.sources["image"] == "--db-image"
    assert resolve_settings(cli_port=7000, environ={"PGTDD_PORT": "6000"}).profile.host_port == 7000


def test_test_database_url_overrides_the_local_profile_url() -> None:
    url = "postgresql://u:secret@db.example:6000/x"
    settings = resolve_settings(cli_profile="local", environ={"TEST_DATABASE_URL": url})
    assert settings.profile.url == url
    assert settings.sources["url"] == "env TEST_DATABASE_URL"
    assert "secret" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("provider: container\nimage: x\nhostport: 1\n", "mine.yaml:3: unknown key 'hostport'"),
        ("provider: container\nimage: x\nhost_port: high\n", "mine.yaml:3: host_port must be int"),
        ("provider: container\nimage: x\nreuse: 3\n", "mine.yaml:3: reuse must be bool"),
        ("provider: container\nimage: x\npool:\n  max: 3\n", "mine.yaml:4: unknown key pool.max"),
        ("provider: container\nimage: x\npool:\n  max_size: many\n", "mine.yaml:4: pool.max_size"),
        ("provider: podman\nimage: x\n", "mine.yaml:1: provider must be one of container"),
        ("image: x\n", "provider must be one of container, external, native (missing)"),
        ("provider: container\n", "mine.yaml:1: a container profile needs 'image'"),
        ("provider: container\nimage: [a\n", "mine.yaml:3: invalid YAML"),
        (
            "provider: container\nimage: x\ndatabase: ${NOPE}\n",
            "mine.yaml:3: environment variable NOPE",
        ),
        ("extends: nothere\n", "mine.yaml:1: extends: unknown profile 'nothere'"),
        ("- a\n- b\n", "mine.yaml:1: a profile is a mapping"),
        (
            "provider: container\nimage: x\non_server_loss: retry\n",
            "mine.yaml:3: on_server_loss must be one of fail, restart, got 'retry'",
        ),
        (
            "provider: container\nimage: x\ntmpfs_size: lots\n",
            "mine.yaml:3: tmpfs_size must be a size like 512m, 2g",
        ),
        (
            "provider: container\nimage: x\ntmpfs_size: 1g\nserver_settings:\n"
            "  max_wal_size: 1GB\n",
            "mine.yaml:3: tmpfs_size 1g leaves too little room for the WAL",
        ),
    ],
)
def test_bad_profiles_name_file_line_and_choices(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "mine.yaml", text)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path), environ={})
    assert message in str(info.value)


def test_unknown_key_lists_valid_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.yaml", "provider: container\nimage: x\nimgae: y\n")
    with pytest.raises(ProfileError, match=r"valid keys: .*host_port.*server_settings"):
        load_profile(str(path), environ={})


def test_unknown_profile_name_lists_the_valid_ones() -> None:
    with pytest.raises(ProfileError, match=r"unknown profile 'staging'; valid profiles: ci, "):
        load_profile("staging", environ={})


def test_missing_profile_file() -> None:
    with pytest.raises(ProfileError, match=r"profile file not found: .*nothere.yaml"):
        load_profile("./nothere.yaml", environ={})


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: ./b.yaml\n")
    write(tmp_path, "b.yaml", "extends: ./a.yaml\n")
    with pytest.raises(ProfileError, match="cycle"):
        load_profile(str(tmp_path / "a.yaml"), environ={})


def test_bad_env_port_is_rejected() -> None:
    with pytest.raises(ProfileError, match="PGTDD_PORT='x' is not a port"):
        resolve_settings(cli_profile="container", environ={"PGTDD_PORT": "x"})


def test_migration_verify_section_is_read_and_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "team.yaml",
        "extends: local\nmigration_verify:\n  ignore_kinds: [column.position, '*.comment']\n"
        "  ignore_names: public.legacy_*\n  irreversible: [20190101_drop, 3]\n  on_error: stop\n",
    )
    section = load_profile(str(path), environ={}).migration_verify
    assert section.ignore_kinds == ("column.position", "*.comment")
    assert section.ignore_names == ("public.legacy_*",)  # one pattern may be written alone
    assert section.irreversible == ("20190101_drop", "3")  # a version as a number, kept as text
    assert section.on_error == "stop"
    profile = load_profile(str(path), environ={})
    assert profile.source_of("migration_verify.irreversible").endswith("team.yaml:5")
    assert load_profile("local", environ={}).migration_verify.ignore_kinds == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("migration_verify:\n  ignore: [x]\n", "mine.yaml:3: unknown key migration_verify.ignore"),
        ("migration_verify:\n  on_error: later\n", "on_error must be one of continue, stop"),
        ("migration_verify:\n  ignore_kinds: 3\n", "ignore_kinds must be str or list"),
        ("migration_verify:\n  ignore_names: [[a]]\n", "ignore_names item must be str or int"),
        ("migration_verify: [a]\n", "migration_verify must be a mapping"),
    ],
)
def test_bad_migration_verify_sections(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "mine.yaml", "extends: local\n" + text)
    with pytest.raises(ProfileError, match=re.escape(message)):
        load_profile(str(path), environ={})


def test_db_port_sets_an_external_servers_url_port() -> None:
    url = "postgresql://u:secret@db.example:5433/app_test?sslmode=disable"
    env = {"TEST_DATABASE_URL": url}
    settings = resolve_settings(cli_profile="local", cli_port=6543, environ=env)
    assert settings.profile.url == "postgresql://u:secret@db.example:6543/app_test?sslmode=disable"
    assert settings.sources["url"] == "env TEST_DATABASE_URL with the port of --db-port"
    assert "host_port" not in settings.sources  # not shown as applied: the URL carries it
    by_env = resolve_settings(cli_profile="local", environ={**env, "PGTDD_PORT": "7000"})
    assert by_env.profile.url is not None and ":7000/" in by_env.profile.url


def test_options_that_do_not_apply_to_the_provider_are_refused() -> None:
    with pytest.raises(ProfileError, match=r"--db-image applies to container profiles.*local"):
        resolve_settings(cli_profile="local", cli_image="my/pg:15", environ={})
    with pytest.raises(ProfileError, match=r"--db-reuse/--no-db-reuse applies to container"):
        resolve_settings(cli_profile="native", cli_reuse=True, environ={})
    quiet = resolve_settings(cli_profile="local", environ={"PGTDD_REUSE": "1"})
    assert quiet.profile.reuse is False and "reuse" not in quiet.sources  # not claimed


def test_postgres_variables_name_an_external_servers_address() -> None:
    env = {
        "POSTGRES_HOST": "db.internal",
        "POSTGRES_PORT": "5544",
        "POSTGRES_USER": "app",
        "POSTGRES_PASSWORD": "p@ss word",
        "POSTGRES_DB": "app_test",
    }
    settings = resolve_settings(cli_profile="local", environ=env)
    assert settings.profile.url == "postgresql://app:p%40ss%20word@db.internal:5544/app_test"
    assert settings.sources["url"].endswith(
        "with env POSTGRES_HOST, env POSTGRES_PORT, env POSTGRES_USER, env POSTGRES_PASSWORD, "
        "env POSTGRES_DB"
    )
    only_port = resolve_settings(cli_profile="local", environ={"POSTGRES_PORT": "6000"})
    assert "@localhost:6000/dataflow_test" in str(only_port.profile.url)
    url = "postgresql://u:p@elsewhere:5432/x_test"
    wins = resolve_settings(cli_profile="local", environ={**env, "TEST_DATABASE_URL": url})
    assert wins.profile.url == url  # TEST_DATABASE_URL names the whole server
    container = resolve_settings(cli_profile="container", environ=env)
    assert container.profile.user == "dataflow_test"  # pgtdd makes that server: not theirs
    with pytest.raises(ProfileError, match="POSTGRES_PORT='x' is not a port"):
        resolve_settings(cli_profile="local", environ={"POSTGRES_PORT": "x"})


def test_max_connections_variable_sets_the_pool_ceiling() -> None:
    env = {"DATAFLOW_TDD_MAX_CONNECTIONS": "10", "DATAFLOW_TDD_POOL_SIZE": "3"}
    settings = resolve_settings(cli_profile="ci", environ=env)
    assert settings.profile.pool.max_connections == 10 and settings.profile.pool.max_size == 3
    assert settings.profile.source_of("pool.max_connections") == "env DATAFLOW_TDD_MAX_CONNECTIONS"
    with pytest.raises(ProfileError, match=r"DATAFLOW_TDD_MAX_CONNECTIONS='0' is not a whole"):
        resolve_settings(cli_profile="ci", environ={"DATAFLOW_TDD_MAX_CONNECTIONS": "0"})


def test_tmpfs_size_and_on_server_loss_defaults_and_sources(tmp_path: Path) -> None:
    profile = load_profile("container", environ={})
    assert profile.tmpfs_size == "2g" and profile.on_server_loss == "fail"
    assert profile.source_of("tmpfs_size").startswith("profiles/container.yaml:")
    assert load_profile("ci", environ={}).on_server_loss == "fail"  # CI never restarts silently
    mine = write(tmp_path, "mine.yaml", "extends: container\ntmpfs_size: 1GB\n")
    assert load_profile(str(mine), environ={}).tmpfs_size == "1g"


def test_a_bounded_tmpfs_without_max_wal_size_gives_the_wal_an_eighth(tmp_path: Path) -> None:
    from pgtdd.providers.records import server_command

    path = write(tmp_path, "mine.yaml", "provider: container\nimage: x\ntmpfs_size: 1g\n")
    assert server_command(load_profile(str(path), environ={}))[-2:] == ["-c", "max_wal_size=128MB"]
    unbounded = write(tmp_path, "free.yaml", "provider: container\nimage: x\ntmpfs_size: 0\n")
    assert "max_wal_size" not in " ".join(server_command(load_profile(str(unbounded), environ={})))
