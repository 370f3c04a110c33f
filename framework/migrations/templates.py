"""Template databases holding a migration folder applied up to each version.

``P_0`` is an empty database with the tracking table; ``P_k`` is ``P_(k-1)`` plus migration k.
Names are content-addressed (a hash of the up files applied so far), so a chain is built once
per content, under an advisory lock, and reused by later runs and by test fixtures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from framework.janitor import DatabaseJanitor, unique_name
from framework.migrations.migration_runner import Migration, MigrationRunner
from framework.server import ServerInfo

TEMPLATE_PREFIX = "pgtdd_mt_"


def chain_names(migrations: Sequence[Migration]) -> list[str]:
    """Template names for P_0..P_n."""
    digest = hashlib.sha256(b"pgtdd-migrations-v1")
    names = [f"{TEMPLATE_PREFIX}{digest.hexdigest()[:12]}_000"]
    for migration in migrations:
        digest.update(migration.up_path.name.encode() + b"\0" + migration.up_path.read_bytes())
        names.append(f"{TEMPLATE_PREFIX}{digest.hexdigest()[:12]}_{len(names):03d}")
    return names


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
    server: ServerInfo, migrations_dir: str, migrations: Sequence[Migration]
) -> TemplateChain:
    """Build the missing templates of the chain (each from the previous one) and name them."""
    janitor = DatabaseJanitor(server)
    names = chain_names(migrations)
    built = []
    previous: str | None = None
    for position, name in enumerate(names):
        if not janitor.exists(name):
            with janitor.locked(f"pgtdd-template:{name}"):
                if not janitor.exists(name):
                    _build(janitor, server, migrations_dir, name, previous, migrations[:position])
                    built.append(name)
        previous = name
    return TemplateChain(names, built)


def _build(
    janitor: DatabaseJanitor,
    server: ServerInfo,
    migrations_dir: str,
    name: str,
    previous: str | None,
    applied: Sequence[Migration],
) -> None:
    staging = unique_name(f"{name[:40]}_b")
    target = janitor.create(staging, template=previous)
    try:
        with MigrationRunner(target, migrations_dir) as runner:
            if applied:
                runner.up(target=applied[-1].version)
            else:
                runner.ensure_tracking_table()
        janitor.rename(staging, name)
    except BaseException:
        janitor.drop(staging)
        raise


def drop_templates(server: ServerInfo, names: Sequence[str]) -> None:
    """Drop the given templates (those a run built, when it does not keep them)."""
    janitor = DatabaseJanitor(server)
    for name in names:
        janitor.drop(name)
