"""Migration folder layouts of the tools pgtdd reads, detected from the folder's files.

| layout | files | history table |
| --- | --- | --- |
| ``golang-migrate`` | ``NNN_name.up.sql`` + ``NNN_name.down.sql`` | ``schema_migrations`` |
| ``diesel`` | ``VERSION_name/up.sql`` + ``down.sql`` | ``__diesel_schema_migrations`` |
| ``dbmate`` | ``VERSION_name.sql`` with ``-- migrate:up`` | ``schema_migrations`` |
| ``goose`` | ``VERSION_name.sql`` with ``-- +goose Up`` | ``goose_db_version`` |
| ``flyway`` | ``V1__name.sql`` (``U1__``, ``R__``) | ``flyway_schema_history`` |
| ``pgtdd`` | as golang-migrate (never detected: pass it) | ``pgtdd_schema_migrations`` |

:func:`load` reads a folder with a layout given by name or detected (exactly one layout must
recognise the folder's files: none or two are errors naming what was seen); :func:`discover`
returns just the migrations, in the tool's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pgtdd.migrations.layouts.base import Discovery, Layout, LayoutOptions, reading
from pgtdd.migrations.layouts.dbmate import DbmateLayout
from pgtdd.migrations.layouts.diesel import DieselLayout
from pgtdd.migrations.layouts.flyway import FlywayLayout
from pgtdd.migrations.layouts.golang_migrate import GolangMigrateLayout, PgtddLayout
from pgtdd.migrations.layouts.goose import GooseLayout
from pgtdd.migrations.model import Migration, MigrationError

LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        GolangMigrateLayout(),
        DieselLayout(),
        DbmateLayout(),
        GooseLayout(),
        FlywayLayout(),
        PgtddLayout(),
    )
}
LAYOUT_NAMES = tuple(LAYOUTS)
HISTORY_TABLES = tuple(sorted({layout.default_table for layout in LAYOUTS.values()}))


def get_layout(name: str) -> Layout:
    """The layout called ``name``; an unknown name lists the valid ones."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise MigrationError(
            f"unknown migration layout {name!r}; valid layouts: {', '.join(LAYOUT_NAMES)}"
        ) from None


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise MigrationError(f"migrations folder not found: {folder}")


def _seen(folder: Path) -> str:
    entries = sorted(folder.iterdir())
    if not entries:
        return "the folder is empty"
    names = [p.name + ("/" if p.is_dir() else "") for p in entries]
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"it has {len(names)} entries: {shown}"


def _known() -> str:
    return "; ".join(
        f"{layout.name}: {layout.pattern}" for layout in LAYOUTS.values() if layout.detectable
    )


def detect(folder: Path | str) -> Layout:
    """The one layout that recognises the folder's files."""
    path = Path(folder)
    _check_folder(path)
    claims = {
        layout.name: found
        for layout in LAYOUTS.values()
        if layout.detectable and (found := layout.claim(path))
    }
    if len(claims) == 1:
        return LAYOUTS[next(iter(claims))]
    if not claims:
        raise MigrationError(
            f"{path}: no migration layout matches ({_seen(path)}). pgtdd reads {_known()}. "
            "Name the files that way, or pass --layout"
        )
    evidence = "; ".join(
        f"{name} ({', '.join(found[:3])}{', ...' if len(found) > 3 else ''})"
        for name, found in claims.items()
    )
    raise MigrationError(
        f"{path}: the files match more than one layout: {evidence}. pgtdd does not guess: "
        f"pass --layout (or set migrations_layout in the profile), one of {', '.join(claims)}"
    )


def load(
    folder: Path | str,
    layout: str | None = None,
    *,
    placeholders: Mapping[str, str] | None = None,
) -> Discovery:
    """The folder's migrations, read by ``layout`` (detected when ``None``), in the tool's order.

    ``placeholders`` are Flyway's ``${name}`` values. A detected layout must find migrations;
    a forced one may find none (an empty folder of a new project).
    """
    path = Path(folder)
    _check_folder(path)
    with reading():
        chosen = get_layout(layout) if layout else detect(path)
        return chosen.read(path, LayoutOptions(dict(placeholders or {})))


def discover(folder: Path | str, layout: str | None = None) -> list[Migration]:
    """The migrations of ``folder`` in the tool's order (see :func:`load`)."""
    return load(folder, layout).migrations


__all__ = [
    "HISTORY_TABLES",
    "LAYOUTS",
    "LAYOUT_NAMES",
    "Discovery",
    "Layout",
    "detect",
    "discover",
    "get_layout",
    "load",
]
