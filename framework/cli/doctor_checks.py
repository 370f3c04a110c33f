"""The lines of ``pgtdd doctor`` and its checks on a running server.

:class:`Check` and :class:`Report` are the diagnosis; :class:`DatabaseChecks` holds the checks
that need a server (connectivity, tuned settings, a savepoint round trip through the TDD stack,
pool statistics, leaked connections), mixed into :class:`pgtdd.cli.doctor.Doctor`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import asyncpg

from pgtdd.config.settings import Settings
from pgtdd.retry import apoll_until
from pgtdd.serverinfo import ServerInfo

Status = Literal["ok", "warn", "fail", "skip"]
MARKS: dict[Status, str] = {"ok": " ok ", "warn": "warn", "fail": "FAIL", "skip": "skip"}
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
        text = f"[{MARKS[self.status]}] {self.name}: {one_line(self.detail)}"
        return f"{text} -> fix: {one_line(self.fix)}" if self.fix else text


@dataclass
class Report:
    """Every check of one run; ``ok`` is False when any check failed."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.status != "fail" for check in self.checks)

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> Check:
        """Record one check and return it."""
        check = Check(name, status, detail, fix)
        self.checks.append(check)
        return check

    def to_json(self) -> str:
        """The report as a JSON document (``pgtdd doctor --json``)."""
        return json.dumps({"ok": self.ok, "checks": [asdict(c) for c in self.checks]}, indent=2)


class DatabaseChecks:
    """The checks on a running server; the class using it provides ``add`` and ``_skip_rest``."""

    application_name: str
    backend_pids: set[int]
    secrets: list[str]

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> Check:
        raise NotImplementedError

    def _skip_rest(self, first: str, reason: str) -> None:
        raise NotImplementedError

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


async def _wait_gone(conn: Any, pids: set[int]) -> set[int]:
    """Which of ``pids`` still have a backend after a bounded wait for them to exit."""
    left: set[int] = set(pids)

    async def gone() -> bool | None:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])", sorted(pids)
        )
        left.clear()
        left.update(int(row["pid"]) for row in rows)
        return True if not left else None

    await apoll_until(gone, LEAK_WAIT_SECONDS, 0.05)
    return left


def _quote_ident(name: str) -> str:
    """A setting name as a quoted identifier for ``SHOW`` (names are validated by profiles)."""
    return '"' + name.replace('"', '""') + '"'


def one_line(text: str) -> str:
    """``text`` on one line, its lines joined with `` | ``."""
    return " | ".join(part.strip() for part in text.strip().splitlines() if part.strip())
