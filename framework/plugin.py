"""The pgtdd pytest plugin: settings, the session server, the header, fixture registration.

Loaded through the ``pytest11`` entry point, so no conftest is needed.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from framework.guard import pop_session_settings, push_session_settings
from framework.profiles import ProfileError
from framework.redact import redact
from framework.server import ServerInfo
from framework.session import ServerManager, server_from_wire, server_to_wire
from framework.settings import Settings, resolve_settings

# Modules whose fixtures and hooks the plugin registers (each a pytest plugin module).
FIXTURE_MODULES: tuple[str, ...] = (
    "framework.performance.pytest_plugin",
    "framework.migrations.fixtures",
    "framework.tdd_fixtures",
    "framework.secrets_plugin",
    "framework.fresh_database",
)
pytest_plugins = list(FIXTURE_MODULES)

SETTINGS_KEY = pytest.StashKey[Settings]()
MANAGER_KEY = pytest.StashKey[ServerManager]()
WIRE_KEY = "pgtdd_server"
SERVER_FIXTURE = "pgtdd_server"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pgtdd", "pgtdd: PostgreSQL for tests")
    group.addoption(
        "--db-profile",
        metavar="NAME|PATH",
        help="profile name (local, container, ci, native) or YAML file "
        "[env PGTDD_PROFILE; ini pgtdd_profile]",
    )
    group.addoption(
        "--db-image",
        metavar="IMAGE",
        help="image to try before the profile's list [env PGTDD_IMAGE]",
    )
    group.addoption(
        "--db-port",
        metavar="PORT",
        type=int,
        help="host port for the server, 0 for ephemeral [env PGTDD_PORT]",
    )
    group.addoption(
        "--db-reuse",
        action="store_true",
        default=None,
        help="keep the container for the next session [env PGTDD_REUSE]",
    )
    group.addoption(
        "--no-db-reuse",
        dest="db_reuse",
        action="store_false",
        help="do not reuse a container even if the profile says so",
    )
    parser.addini("pgtdd_profile", "pgtdd profile name or YAML path", default=None)
    parser.addini(
        "pgtdd_schema",
        "SQL files or migration folders applied once into the template database",
        type="paths",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        settings = resolve_settings(
            cli_profile=config.getoption("db_profile"),
            cli_image=config.getoption("db_image"),
            cli_port=config.getoption("db_port"),
            cli_reuse=config.getoption("db_reuse"),
            ini_profile=config.getini("pgtdd_profile") or None,
        )
    except ProfileError as exc:
        raise pytest.UsageError(f"pgtdd: {exc}") from None
    config.stash[SETTINGS_KEY] = settings
    push_session_settings(settings)
    config.stash[MANAGER_KEY] = _make_manager(config, settings)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(), "pgtdd-xdist")
    _raise_keyboard_interrupt_on_sigterm()


def _make_manager(config: pytest.Config, settings: Settings) -> ServerManager:
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    wired = workerinput.get(WIRE_KEY) if workerinput else None
    return ServerManager(
        settings,
        rootpath=config.rootpath,
        extra_schema=tuple(str(p) for p in config.getini("pgtdd_schema")),
        worker=workerinput["workerid"] if workerinput else None,
        run_id=os.environ.get("PYTEST_XDIST_TESTRUNUID"),
        attached=server_from_wire(wired) if wired else None,
        workers=int(workerinput.get("workercount", 1)) if workerinput else 1,
    )


class XdistHooks:
    """The controller provisions one server for the run and hands it to every worker."""

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        manager: ServerManager = node.config.stash[MANAGER_KEY]
        manager.workers = max(manager.workers, int(node.workerinput.get("workercount", 1)))
        try:
            server = manager.provision()
        except Exception as exc:  # noqa: BLE001 - any start failure ends the run, named
            pytest.exit(f"pgtdd: could not provision PostgreSQL: {redact(str(exc))}", returncode=3)
        if WIRE_KEY not in node.workerinput and not manager.announced:
            manager.announced = True
            reporter = node.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                for line in server_lines(server, manager.start_seconds):
                    reporter.write_line(line)
        node.workerinput[WIRE_KEY] = server_to_wire(server)


def _raise_keyboard_interrupt_on_sigterm() -> None:
    """On SIGTERM run the same teardown as on Ctrl-C, so the container is removed."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, handler)


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = config.stash[SETTINGS_KEY]
    profile = settings.profile
    lines = [
        f"pgtdd: profile {profile.name} (chosen by {settings.profile_source}; file {profile.path})"
        f", provider {profile.provider}",
    ]
    if profile.provider == "container":
        lines.append(
            f"pgtdd: image {' > '.join(profile.image)} (first present locally, else pulled)"
        )
    overrides = {k: v for k, v in profile.sources.items() if not v.startswith(("profiles/", "/"))}
    if overrides or config.getoption("verbose") > 0:
        shown = overrides if config.getoption("verbose") <= 0 else profile.sources
        lines.append("pgtdd: values from " + ", ".join(f"{k}={v}" for k, v in shown.items()))
    return lines


def _needs_server(items: list[pytest.Item]) -> bool:
    return any(SERVER_FIXTURE in getattr(item, "fixturenames", ()) for item in items)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the server before the first test when any selected test needs it."""
    if session.config.option.collectonly or not _needs_server(session.items):
        return
    manager = session.config.stash[MANAGER_KEY]
    try:
        manager.get()
    except Exception as exc:  # noqa: BLE001 - any start failure ends the run, named
        pytest.exit(f"pgtdd: could not provision PostgreSQL: {redact(str(exc))}", returncode=3)


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    manager = config.stash.get(MANAGER_KEY, None)
    if manager is None or manager.server is None:
        return []
    lines = server_lines(manager.session or manager.server, manager.start_seconds)
    if manager.databases is not None:
        lines.append(
            f"pgtdd: test database {manager.databases.identity.database} cloned from template "
            f"{manager.databases.template} ({len(manager.databases.files)} schema file(s))"
        )
    return lines


def server_lines(server: ServerInfo, seconds: float) -> list[str]:
    """Human lines describing a running server (no password)."""
    where = f"container {server.container_id[:12]}, " if server.container_id else ""
    lines = [
        f"pgtdd: PostgreSQL {server.version} at {server.safe_url}"
        f" ({where}image {server.image or '-'}, ready in {seconds:.2f}s)",
    ]
    if server.settings:
        lines.append("pgtdd: settings " + " ".join(f"{k}={v}" for k, v in server.settings.items()))
    lines += [f"pgtdd: note: {note}" for note in server.notes]
    return lines


def pytest_unconfigure(config: pytest.Config) -> None:
    manager = config.stash.get(MANAGER_KEY, None)
    try:
        if manager is not None:
            manager.stop(wait=False)
    finally:
        settings = config.stash.get(SETTINGS_KEY, None)
        if settings is not None:
            pop_session_settings(settings)


@pytest.fixture(scope="session")
def pgtdd_server(request: pytest.FixtureRequest) -> Iterator[ServerInfo]:
    """The session's PostgreSQL server: ``url``, ``host``, ``port``, ``version``, ``settings``..."""
    yield request.config.stash[MANAGER_KEY].get()
