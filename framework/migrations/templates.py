"""Template databases holding a migration folder applied up to each version.

``P_0`` is an empty database with the tracking table; ``P_k`` is ``P_(k-1)`` plus migration k.
Names are content-addressed (a hash of the up files applied so far), so a chain is built once
per content, under an advisory lock, and reused by later runs and by test fixtures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from pgtdd.databases.janitor import DatabaseJanitor, unique_name
from pgtdd.migrations.runner import Migration, MigrationRunner
from pgtdd.retry import poll_until
from pgtdd.serverinfo import ServerInfo

TEMPLATE_PREFIX = "pgtdd_mt_"
SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
RUNNING = (
    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
    " AND strpos(query, %s) > 0"
)


class QuickJanitor(DatabaseJanitor):
    """A janitor that waits for just-closed sessions to end before CREATE/DROP DATABASE.

    A client's ``close()`` returns before its server process has exited; PostgreSQL's own wait
    for such sessions sleeps in 100 ms steps, which would dominate a 15 ms clone. Polling
    ``pg_stat_activity`` every millisecond first avoids that sleep.
    """

    def wait_unused(self, name: str, timeout: float = 1.0) -> bool:
        """Poll until no session uses ``name`` (True) or ``timeout`` passes (False)."""
        return self._until_none(SESSIONS, name, timeout, step=0.001)

    def wait_quiet(self, prefix: str, timeout: float = 2.0) -> bool:
        """Poll until no statement naming ``prefix`` runs (True) or ``timeout`` passes (False).

        A client killed during ``CREATE DATABASE`` leaves its server process to finish the
        statement; the database it makes must exist before a cleanup lists what to drop.
        """
        return self._until_none(RUNNING, prefix, timeout, step=0.005)

    def _until_none(self, count_query: str, value: str, timeout: float, step: float) -> bool:
        """Poll ``count_query`` (one parameter) until it counts 0 (True) or ``timeout`` passes."""
        with self._connect() as conn:

            def idle() -> bool | None:
                row = conn.execute(count_query, (value,)).fetchone()
                return True if not row or not row[0] else None

            return poll_until(idle, timeout, step) is not None

    def create(self, name: str, template: str | None = None) -> ServerInfo:
        """Create ``name``, first letting the template's closing sessions end."""
        if template is not None:
            self.wait_unused(template)
        return super().create(name, template)

    def drop(self, name: str) -> None:
        """Drop ``name`` (sessions still open after a short wait are terminated: FORCE)."""
        self.wait_unused(name, timeout=0.2)
        super().drop(name)


def chain_names(migrations: Sequence[Migration], layout: str | None = None) -> list[str]:
    """Template names for P_0..P_n (the layout decides the history table, so it is hashed)."""
    digest = hashlib.sha256(b"pgtdd-migrations-v2")
    digest.update(_layout_of(migrations, layout).encode())
    names = [f"{TEMPLATE_PREFIX}{digest.hexdigest()[:12]}_000"]
    for migration in migrations:
        digest.update(f"\0{migration.label}\0".encode() + migration.read("up").encode())
        names.append(f"{TEMPLATE_PREFIX}{digest.hexdigest()[:12]}_{len(names):03d}")
    return names


def _layout_of(migrations: Sequence[Migration], layout: str | None) -> str:
    if layout is not None:
        return layout
    if not migrations:
        raise ValueError("an empty migration list needs its layout named")
    return migrations[0].layout


@dataclass
class TemplateChain:
    """The names of P_0..P_n on a server, and which of them this process built."""

    names: list[str]
    built: list[str]

    @property
    def head(self) -> str:
        """The template with every migration applied."""
        return self.names[-1]

    def before(self, position: int) -> str:
        """The template with the migrations before ``position`` (0-based) applied."""
        return self.names[position]


def ensure_chain(
    janitor: DatabaseJanitor,
    migrations_dir: str,
    migrations: Sequence[Migration],
    layout: str | None = None,
) -> TemplateChain:
    """Build the missing templates of the chain (each from the previous one) and name them.

    ``layout`` is the folder's layout (by default the migrations' own)."""
    server = janitor.server
    layout = _layout_of(migrations, layout)
    names = chain_names(migrations, layout)
    built = []
    previous: str | None = None
    for position, name in enumerate(names):
        if not janitor.exists(name):
            with janitor.locked(f"pgtdd-template:{name}"):
                if not janitor.exists(name):
                    _build(
                        janitor, server, (migrations_dir, layout), name, previous,
                        migrations[:position],
                    )  # fmt: skip
                    built.append(name)
        previous = name
    return TemplateChain(names, built)


def _build(
    janitor: DatabaseJanitor,
    server: ServerInfo,
    folder: tuple[str, str],
    name: str,
    previous: str | None,
    applied: Sequence[Migration],
) -> None:
    staging = unique_name(f"{name[:40]}_b")
    target = janitor.create(staging, template=previous)
    try:
        migrations_dir, layout = folder
        with MigrationRunner(target, migrations_dir, layout=layout) as runner:
            if applied:
                runner.up(target=applied[-1].id)
            else:
                runner.ensure_tracking_table()
        janitor.rename(staging, name)
    except BaseException:
        janitor.drop(staging)
        raise


def drop_templates(janitor: DatabaseJanitor, names: Sequence[str]) -> None:
    """Drop the given templates (those a run built, when it does not keep them), but P_0: the
    empty database of a layout is the first template of every folder of that layout, which
    another run or test may be using."""
    for name in names:
        if not name.endswith("_000"):
            janitor.drop(name)
