"""The pgtdd pytest plugin: settings, the session server, the header, fixture registration.

Loaded through the ``pytest11`` entry point, so no conftest is needed.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from types import FrameType

import pytest

from containers.base import Provider, make_provider
from framework.profiles import ProfileError
from framework.redact import redact
from framework.server import ServerInfo
from framework.settings import Settings, resolve_settings

# Modules whose fixtures and hooks the plugin registers (each a pytest plugin module).
FIXTURE_MODULES: tuple[str, ...] = ()
pytest_plugins = list(FIXTURE_MODULES)

SETTINGS_KEY = pytest.StashKey[Settings]()
MANAGER_KEY = pytest.StashKey["ServerManager"]()
SERVER_FIXTURE = "pgtdd_server"


class ServerManager:
    """Starts the session's server on first need and stops it once at the end."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.provider: Provider | None = None
        self.server: ServerInfo | None = None
        self.error: BaseException | None = None
        self.start_seconds = 0.0

    def get(self) -> ServerInfo:
        """The running server, started now if needed; a failed start is raised again."""
        if self.server is not None:
            return self.server
        if self.error is not None:
            raise self.error
        started = time.perf_counter()
        provider = make_provider(self.settings.profile)
        self.provider = provider
        try:
            self.server = provider.start()
        except BaseException as exc:
            self.error = exc
            raise
        self.start_seconds = time.perf_counter() - started
        return self.server

    def stop(self) -> None:
        """Release the server (idempotent)."""
        if self.provider is not None:
            self.provider.stop()
            self.provider = None


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
    config.stash[MANAGER_KEY] = ServerManager(settings)
    _raise_keyboard_interrupt_on_sigterm()


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
    except Exception as exc:  # every start failure ends the run with its own message
        pytest.exit(f"pgtdd: could not provision PostgreSQL: {redact(str(exc))}", returncode=3)


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    manager = config.stash.get(MANAGER_KEY, None)
    if manager is None or manager.server is None:
        return []
    return server_lines(manager.server, manager.start_seconds)


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
    if manager is not None:
        manager.stop()


@pytest.fixture(scope="session")
def pgtdd_server(request: pytest.FixtureRequest) -> Iterator[ServerInfo]:
    """The session's PostgreSQL server: ``url``, ``host``, ``port``, ``version``, ``settings``..."""
    yield request.config.stash[MANAGER_KEY].get()
