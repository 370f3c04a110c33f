"""``pgtdd doctor``: the troubleshooting guide's diagnosis checklist as one command.

Checks, in order: TDD mode, the profile and where it came from, the test-database guard,
Docker, the image, the server (started as a session would start it, and stopped again),
connectivity, the tuned settings (each verified with ``SHOW``), a savepoint round trip, pool
statistics, and leaked connections. One line per check; every failure carries its fix; the exit
status is 1 when any check failed; ``--json`` prints the same as a JSON document.

A check that needs something an earlier check could not provide is reported as ``skip`` with
the reason, never as a pass.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import asyncpg

from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import Settings, resolve_settings
from pgtdd.databases.guard import (
    check_test_database,
    ensure_test_database,
    session_settings,
)
from pgtdd.redact import redact
from pgtdd.server import ServerInfo

Status = Literal["ok", "warn", "fail", "skip"]
MARKS: dict[Status, str] = {"ok": " ok ", "warn": "warn", "fail": "FAIL", "skip": "skip"}
TDD_TRUE = frozenset({"true", "yes", "1", "on", "enabled"})
# Connections idle in a transaction for longer than this are reported as probably leaked.
STALE_TRANSACTION_SECONDS = 60
LEAK_WAIT_SECONDS = 5.0


@dataclass
class Check:
    """One line of the diagnosis."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        """``[FAIL] name: detail -> fix: ...`` on one line."""
        text = f"[{MARKS[self.status]}] {self.name}: {_one_line(self.detail)}"
        return f"{text} -> fix: {_one_line(self.fix)}" if self.fix else text


@dataclass
class Report:
    """Every check of one run; ``ok`` is False when any check failed."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> Check:
        check = Check(name, status, detail, fix)
        self.checks.append(check)
        return check

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, "checks": [asdict(c) for c in self.checks]}, indent=2)


class Doctor:
    """Runs the checks for one profile choice; secrets are masked in every line it writes."""

    def __init__(
        self,
        *,
        profile: str | None = None,
        environ: Mapping[str, str] | None = None,
        progress: Callable[[Check], None] | None = None,
    ) -> None:
        self.profile_choice = profile
        self.environ = os.environ if environ is None else environ
        self.progress = progress
        self.report = Report()
        self.secrets: list[str] = []
        self.application_name = f"pgtdd-doctor-{os.getpid()}"
        self.backend_pids: set[int] = set()

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> Check:
        check = self.report.add(
            name, status, redact(detail, *self.secrets), redact(fix, *self.secrets)
        )
        if self.progress is not None:
            self.progress(check)
        return check

    def run(self) -> Report:
        """Run every check and return the report (the server started here is stopped)."""
        self._tdd_mode()
        settings = self._profile()
        if settings is None:
            self._skip_rest("guard", "the profile did not load")
            return self.report
        if not self._guard(settings):
            self._skip_rest("docker", "the guard refused the server: doctor does not connect")
            return self.report
        if not self._docker_and_image(settings):
            self._skip_rest("server", "Docker is needed by this profile")
            return self.report
        # The guard judges the TDD pool's URL by this profile, as in a pytest session.
        with session_settings(settings), self._server(settings) as server:
            if server is None:
                self._skip_rest("connectivity", "no server")
            else:
                asyncio.run(self._database_checks(server, settings))
        return self.report

    # ----------------------------------------------------------------- configuration checks

    def _tdd_mode(self) -> None:
        value = self.environ.get("DATAFLOW_TDD_MODE")
        if value is None:
            self.add(
                "tdd-mode",
                "ok",
                "DATAFLOW_TDD_MODE is not set: the pgtdd plugin turns TDD mode on for each "
                "pytest session",
            )
        elif value.strip().lower() in TDD_TRUE:
            self.add("tdd-mode", "ok", f"DATAFLOW_TDD_MODE={value.strip()}: is_tdd_mode() is True")
        else:
            self.add(
                "tdd-mode",
                "fail",
                f"DATAFLOW_TDD_MODE={value!r}: TDD mode is off, every test using the TDD "
                "fixtures is skipped",
                "export DATAFLOW_TDD_MODE=true (or unset it: the plugin turns it on)",
            )

    def _profile(self) -> Settings | None:
        try:
            settings = resolve_settings(cli_profile=self.profile_choice, environ=self.environ)
        except ProfileError as exc:
            self.add(
                "profile",
                "fail",
                str(exc),
                "fix the file and line named, or pick a built-in profile with --profile",
            )
            return None
        profile = settings.profile
        self.secrets.append(profile.password)
        if profile.url:
            from pgtdd.databases.guard import server_from_url

            self.secrets.append(server_from_url(profile.url).password)
        overrides = {
            key: where
            for key, where in profile.sources.items()
            if not where.startswith(("profiles/", "/"))
        }
        extra = (
            "; overrides: " + ", ".join(f"{k} from {v}" for k, v in overrides.items())
            if overrides
            else ""
        )
        self.add(
            "profile",
            "ok",
            f"{profile.name} (chosen by {settings.profile_source}; file {profile.path}), "
            f"provider {profile.provider}{extra}",
        )
        return settings

    def _guard(self, settings: Settings) -> bool:
        profile = settings.profile
        if profile.provider != "external":
            self.add("guard", "ok", f"the {profile.provider} server is provisioned by pgtdd")
            return True
        from pgtdd.providers.external import DEFAULT_URL, parse_url

        try:
            server = parse_url(profile.url or DEFAULT_URL, profile=profile.name)
            verdict = check_test_database(server, settings, environ=self.environ)
        except (ProfileError, RuntimeError) as exc:
            self.add("guard", "fail", str(exc), "fix the URL or PGTDD_ALLOW_DATABASE")
            return False
        if verdict.allowed:
            self.add("guard", "ok", f"{server.safe_url} allowed: {verdict.reason}")
            return True
        self.add("guard", "fail", verdict.reason, verdict.fix)
        return False

    def _docker_and_image(self, settings: Settings) -> bool:
        profile = settings.profile
        if profile.provider != "container":
            reason = f"provider {profile.provider} needs no Docker"
            self.add("docker", "skip", reason)
            self.add("image", "skip", reason)
            return True
        from pgtdd.providers.engine import DockerUnavailableError, docker_client

        try:
            client = docker_client()
            version = client.version()
        except DockerUnavailableError as exc:
            text = str(exc)
            detail, _, fix = text.partition(" Ways out: ")
            self.add("docker", "fail", detail, fix or "start Docker")
            self.add("image", "skip", "Docker is not reachable")
            return False
        self.add(
            "docker",
            "ok",
            f"Docker {version.get('Version', '?')} (API {version.get('ApiVersion', '?')}) "
            f"at {self.environ.get('DOCKER_HOST') or 'the default socket'}",
        )
        self._image(client, profile.image)
        return True

    def _image(self, client: Any, candidates: tuple[str, ...]) -> None:
        from docker.errors import DockerException, ImageNotFound

        for name in candidates:
            try:
                image = client.images.get(name)
            except ImageNotFound:
                continue
            except DockerException as exc:
                self.add("image", "fail", f"cannot list images: {exc}", "check the Docker engine")
                return
            self.add("image", "ok", f"{name} present ({image.short_id})")
            return
        self.add(
            "image",
            "warn",
            f"none of {', '.join(candidates)} is present locally: the session will try to pull",
            "on a host without a registry build it with `pgtdd image build --offline`",
        )

    # ----------------------------------------------------------------- the server

    @contextmanager
    def _server(self, settings: Settings) -> Iterator[ServerInfo | None]:
        from pgtdd.providers.base import make_provider

        provider = make_provider(settings.profile)
        started = time.perf_counter()
        try:
            try:
                server = provider.start()
            except Exception as exc:  # noqa: BLE001 - every start failure is a diagnosis line
                self.add("server", "fail", *server_failure(exc, settings))
                yield None
                return
            seconds = time.perf_counter() - started
            # Registers the provisioned server with the guard, as a pytest session does, so
            # the TDD pool below may open on it.
            ensure_test_database(server, settings, environ=self.environ)
            where = f"container {server.container_id[:12]}, " if server.container_id else ""
            notes = "".join(f"; {note}" for note in server.notes)
            self.add(
                "server",
                "ok",
                f"PostgreSQL {server.version} at {server.safe_url} ({where}"
                f"provider {server.provider}, ready in {seconds:.2f}s){notes}",
            )
            yield server
        finally:
            provider.stop()

    async def _database_checks(self, server: ServerInfo, settings: Settings) -> None:
        profile = settings.profile
        try:
            conn = await self._connect(server, profile.timeouts.connect)
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            self.add(
                "connectivity",
                "fail",
                f"asyncpg could not connect to {server.safe_url}: {exc}",
                "check that the server runs (pg_isready), the credentials and the network",
            )
            self._skip_rest("settings", "no connection")
            return
        try:
            started = time.perf_counter()
            await conn.fetchval("SELECT 1")
            ms = (time.perf_counter() - started) * 1000
            self.add("connectivity", "ok", f"asyncpg SELECT 1 round trip {ms:.2f} ms")
            await self._settings(conn, dict(profile.server_settings))
        finally:
            await conn.close()
        await self._tdd_stack(server, settings)
        await self._leaks(server, profile.timeouts.connect)

    async def _connect(self, server: ServerInfo, timeout: float) -> Any:
        conn = await asyncpg.connect(
            server.url,
            timeout=timeout,
            server_settings={"application_name": self.application_name},
        )
        self.backend_pids.add(conn.get_server_pid())
        return conn

    async def _settings(self, conn: Any, expected: dict[str, str]) -> None:
        from pgtdd.providers.readiness import normalise

        names = list(expected) or ["jit", "fsync", "synchronous_commit"]
        shown = {name: str(await conn.fetchval(f"SHOW {_quote_ident(name)}")) for name in names}
        if not expected:
            values = " ".join(f"{k}={v}" for k, v in shown.items())
            self.add("settings", "ok", f"the profile tunes nothing; server has {values}")
            return
        wrong = {
            name: f"{shown[name]!r} (profile says {want!r})"
            for name, want in expected.items()
            if normalise(shown[name]) != normalise(want)
        }
        if wrong:
            self.add(
                "settings",
                "fail",
                "SHOW disagrees with the profile: "
                + "; ".join(f"{k} = {v}" for k, v in wrong.items()),
                "for a container or native server fix server_settings (units as SHOW prints "
                "them, e.g. 128MB); for an external server set them in its postgresql.conf",
            )
            return
        self.add("settings", "ok", f"{len(shown)} tuned setting(s) verified with SHOW")

    async def _tdd_stack(self, server: ServerInfo, settings: Settings) -> None:
        """The savepoint round trip and the pool, through the TDD infrastructure tests use."""
        from pgtdd.isolation.pool import PoolError, PoolManager
        from pgtdd.isolation.runner import TDDDatabaseManager, TDDError

        pools = PoolManager()
        pool_id = f"pgtdd_doctor_{os.getpid()}"
        manager = TDDDatabaseManager(
            pool_size=settings.profile.pool.max_size,
            acquire_timeout=settings.profile.pool.acquire_timeout,
            pool_id=pool_id,
            pool_manager=pools,
        )
        failures = (TDDError, PoolError, OSError, TimeoutError, asyncpg.PostgresError)
        try:
            await manager.initialize(server.url)
        except failures as exc:
            fix = "lower pool.max_size or raise the server's max_connections"
            self.add("savepoint", "skip", "the TDD pool did not open")
            self.add("pool", "fail", f"{type(exc).__name__}: {exc}", fix)
            return
        try:
            self.backend_pids.update(pools.managed(pool_id).opened_at)
            try:
                await self._savepoint(manager, server, settings)
            except failures as exc:
                self.add(
                    "savepoint",
                    "fail",
                    f"{type(exc).__name__}: {exc}",
                    "see the guide's 'Savepoint Failures'; a pooler in statement mode breaks "
                    "transactions: connect to PostgreSQL directly",
                )
            self.backend_pids.update(pools.managed(pool_id).opened_at)
            self._pool(pools.get_pool_statistics(pool_id), len(manager.active_connections))
        finally:
            await manager.close()

    async def _savepoint(self, manager: Any, server: ServerInfo, settings: Settings) -> None:
        from pgtdd.isolation.runner import TDDTestContext, run_test_context, tdd_test_context

        table = _quote_ident(f"pgtdd_doctor_probe_{os.getpid()}")
        started = time.perf_counter()
        context = TDDTestContext(test_id="pgtdd_doctor", timeout=10)
        async with run_test_context(context, manager=manager) as ctx:
            conn: Any = ctx.connection
            await conn.execute(f"CREATE TABLE {table} (id int)")
            await conn.execute(f"INSERT INTO {table} VALUES (1)")
            async with tdd_test_context(nested=True):  # same connection, its own savepoint
                await conn.execute(f"INSERT INTO {table} VALUES (2)")
            rows_after_nested = await conn.fetchval(f"SELECT count(*) FROM {table}")
        ms = (time.perf_counter() - started) * 1000
        check = await self._connect(server, settings.profile.timeouts.connect)
        try:
            table_left = await check.fetchval("SELECT to_regclass($1)", table)
        finally:
            await check.close()
        if rows_after_nested != 1 or table_left is not None:
            self.add(
                "savepoint",
                "fail",
                f"rollback did not undo the work (rows after the nested savepoint "
                f"{rows_after_nested}, expected 1; table left after the test: {table_left})",
                "a pooler in statement mode breaks transactions: connect to PostgreSQL directly",
            )
            return
        self.add(
            "savepoint",
            "ok",
            "test transaction + savepoint, nested savepoint rolled back, test rolled back: "
            f"nothing left ({ms:.2f} ms)",
        )

    def _pool(self, stats: Mapping[str, Any], held: int) -> None:
        median = stats.get("median_acquisition_ms")
        shown = f"{median:.2f} ms" if isinstance(median, float) else "-"
        detail = (
            f"TDD pool size {stats['size']} (min {stats['min_size']}, max {stats['max_size']}), "
            f"idle {stats['idle_connections']}, in use {stats['active_connections']}, "
            f"opened {stats['connections_opened']}, acquisitions {stats['acquisitions']} "
            f"(median {shown}), preheated {stats['preheated']}"
        )
        if held or stats["active_connections"]:
            self.add(
                "pool",
                "fail",
                f"{detail}; {held} connection(s) still held by contexts after the check",
                "a context did not release its connection: report it with this output",
            )
            return
        self.add("pool", "ok", detail)

    async def _leaks(self, server: ServerInfo, timeout: float) -> None:
        conn = await asyncpg.connect(server.url, timeout=timeout)
        try:
            mine = await _wait_gone(conn, self.backend_pids)
            stale = await conn.fetch(
                "SELECT pid, usename, application_name,"
                " extract(epoch FROM now() - state_change)::int AS seconds"
                " FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
                " AND now() - state_change > make_interval(secs => $1)"
                " AND pid <> pg_backend_pid()",
                STALE_TRANSACTION_SECONDS,
            )
            others = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()"
            )
        finally:
            await conn.close()
        if mine:
            self.add(
                "leaks",
                "fail",
                f"{len(mine)} of the {len(self.backend_pids)} connection(s) doctor opened are "
                f"still open after closing them (backend pids {sorted(mine)})",
                "a driver or pooler keeps connections: report it with this output",
            )
        elif stale:
            listed = ", ".join(
                f"pid {r['pid']} ({r['usename']}, {r['application_name'] or 'no app name'}, "
                f"{r['seconds']} s)"
                for r in stale
            )
            self.add(
                "leaks",
                "warn",
                f"{len(stale)} connection(s) idle in a transaction for more than "
                f"{STALE_TRANSACTION_SECONDS} s, probably leaked by a stuck run: {listed}",
                "stop the run that holds them, or SELECT pg_terminate_backend(pid)",
            )
        else:
            self.add(
                "leaks",
                "ok",
                f"all {len(self.backend_pids)} connection(s) doctor opened are closed; "
                f"{others} other client connection(s), none idle in a transaction for more "
                f"than {STALE_TRANSACTION_SECONDS} s",
            )

    # ----------------------------------------------------------------- helpers

    def _skip_rest(self, first: str, reason: str) -> None:
        order = (
            "guard",
            "docker",
            "image",
            "server",
            "connectivity",
            "settings",
            "savepoint",
            "pool",
            "leaks",
        )
        done = {check.name for check in self.report.checks}
        for name in order[order.index(first) :]:
            if name not in done:
                self.add(name, "skip", reason)


async def _wait_gone(conn: Any, pids: set[int]) -> set[int]:
    """Which of ``pids`` still have a backend after a bounded wait for them to exit."""
    deadline = time.monotonic() + LEAK_WAIT_SECONDS
    while True:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])", sorted(pids)
        )
        left = {int(row["pid"]) for row in rows}
        if not left or time.monotonic() > deadline:
            return left
        await asyncio.sleep(0.05)


def _quote_ident(name: str) -> str:
    """A setting name as a quoted identifier for ``SHOW`` (names are validated by profiles)."""
    return '"' + name.replace('"', '""') + '"'


def _one_line(text: str) -> str:
    return " | ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def server_failure(exc: BaseException, settings: Settings) -> tuple[str, str]:
    """(what happened, the fix) for an exception raised while starting the profile's server."""
    from pgtdd.providers.container import ImageUnavailableError
    from pgtdd.providers.engine import DockerUnavailableError
    from pgtdd.providers.native import BinariesNotFoundError

    message = str(exc).strip()
    what, _, log = message.partition("\n--- server log (last lines) ---\n")
    log_note = f" | server log: {_one_line(log)}" if log.strip() else ""
    first, _, rest = what.partition("\n")
    profile = settings.profile
    if isinstance(exc, DockerUnavailableError):
        head, _, ways = message.partition(" Ways out: ")
        return head, ways or "start Docker"
    if isinstance(exc, ImageUnavailableError | BinariesNotFoundError):
        head, _, fix = message.partition(". ")
        return head, fix or message
    for cause in ("password for user", "does not exist: check", "may not log in"):
        if cause in rest:
            return first + log_note, rest.strip()
    if profile.provider == "external":
        from pgtdd.providers.external import DEFAULT_URL, parse_url

        target = parse_url(profile.url or DEFAULT_URL)
        fix = (
            f"check the server runs (pg_isready -h {target.host} -p {target.port}) and the host "
            "and port in TEST_DATABASE_URL or the profile's url; raise retry.deadline if it is "
            "only slow to start"
        )
    else:
        fix = (
            "read the server log above; raise timeouts.startup/retry.deadline if the host is "
            "only slow; `pgtdd status` lists containers left by earlier runs"
        )
    return f"{first} {_one_line(rest)}".strip() + log_note, fix


def run(args: argparse.Namespace) -> int:
    """The ``doctor`` subcommand."""
    doctor = Doctor(
        profile=args.profile,
        progress=None if args.json else (lambda check: print(check.line(), flush=True)),
    )
    report = doctor.run()
    if args.json:
        print(report.to_json())
    else:
        failed = sum(check.status == "fail" for check in report.checks)
        print("doctor: all checks passed" if report.ok else f"doctor: {failed} check(s) failed")
    return 0 if report.ok else 1


def add_subcommands(subparsers: Any) -> None:
    """Register ``pgtdd doctor`` (called by :func:`pgtdd.cli.main.build_parser`)."""
    parser = subparsers.add_parser(
        "doctor", help="diagnose the test setup: one line per check, with the fix"
    )
    parser.add_argument("--profile", help="profile name or YAML path (default as for pytest)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def main(argv: list[str] | None = None) -> int:
    """``python -m pgtdd.cli.doctor`` without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="pgtdd")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["doctor", *(argv or [])])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
