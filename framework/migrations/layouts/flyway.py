"""Flyway: ``V<version>__<description>.sql``, undo ``U<version>__...``, repeatable ``R__...``.

As Flyway does: the folder is scanned with its sub-folders; versions are dotted (``_`` counts
as ``.``) and compared part by part as numbers, trailing zeros ignored (``1.0`` is ``1``);
``${name}`` placeholders are replaced (a missing value is an error); a ``V....sql.conf`` file
may say ``executeInTransaction=false`` or ``placeholderReplacement=false``; repeatable
migrations run after the versioned ones, in description order, and again whenever their file
changes. ``flyway_schema_history`` gets a row per run with Flyway's checksum (CRC-32 of the file's
lines without their line breaks). ``up`` refuses a version below the highest applied one, a
changed applied file, and a failed row, as Flyway's validation does.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from pgtdd.migrations.layouts.base import (
    AppliedMigration,
    Connection,
    Discovery,
    History,
    HistoryState,
    Layout,
    LayoutOptions,
    read_text,
)
from pgtdd.migrations.layouts.flyway_history import (
    FlywayHistory,
    flyway_check_up,
    flyway_modified,
    flyway_pending,
    version_key,
    version_key_or_zero,
    versioned_rows,
)
from pgtdd.migrations.model import STATEMENTS, TRANSACTION, Migration, MigrationError, Section

VERSION = re.compile(r"^\d+([._]\d+)*$")
CONF_KEYS = ("executeInTransaction", "placeholderReplacement", "encoding")
BUILTIN = "flyway:"


def parse_name(name: str) -> tuple[str, str, str] | None:
    """``(prefix, version, description)`` of a Flyway file name (split at the first ``__``),
    ``None`` for a file Flyway does not take as a migration."""
    if not name.endswith(".sql") or name[:1] not in ("V", "U", "R"):
        return None
    version, sep, description = name[1:-4].partition("__")
    return (name[0], version, description) if sep else None


def checksum(text: str) -> int:
    """Flyway's checksum: CRC-32 of the lines without their terminators (BOM dropped), signed."""
    body = text.removeprefix("\ufeff").replace("\r", "").replace("\n", "")
    value = zlib.crc32(body.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def replace_placeholders(text: str, values: Mapping[str, str], path: Path) -> str:
    """``${name}`` replaced by ``values[name]``; unknown names are an error, except Flyway's
    own ``${flyway:...}`` ones pgtdd has no value for (left as written)."""
    out: list[str] = []
    cursor = 0
    while (start := text.find("${", cursor)) >= 0:
        end = text.find("}", start + 2)
        if end < 0:
            break
        name = text[start + 2 : end]
        out.append(text[cursor:start])
        if name in values:
            out.append(values[name])
        elif name.startswith(BUILTIN):
            out.append(text[start : end + 1])
        else:
            line = text.count("\n", 0, start) + 1
            raise MigrationError(
                f"{path}:{line}: no value for the Flyway placeholder ${{{name}}}: pass "
                f"--placeholder {name}=VALUE (Flyway's flyway.placeholders.{name})"
            )
        cursor = end + 1
    out.append(text[cursor:])
    return "".join(out)


def _conf(path: Path) -> dict[str, str]:
    conf = path.with_name(path.name + ".conf")
    if not conf.is_file():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(read_text(conf).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in CONF_KEYS:
            raise MigrationError(
                f"{conf}:{number}: pgtdd reads {', '.join(CONF_KEYS)} in a Flyway script "
                f"configuration, got {line.strip()!r}"
            )
        values[key] = value
    if values.get("encoding", "UTF-8").upper().replace("-", "") != "UTF8":
        raise MigrationError(f"{conf}: pgtdd reads migrations as UTF-8")
    return values


class FlywayLayout(Layout):
    """Flyway's files and its ``flyway_schema_history`` table."""

    name: ClassVar[str] = "flyway"
    pattern: ClassVar[str] = "V1__name.sql (+ U1__name.sql, R__name.sql)"
    default_table: ClassVar[str] = "flyway_schema_history"

    def claim(self, folder: Path) -> list[str]:
        """``V...__...sql`` and ``R__...sql`` files, in sub-folders too."""
        return [
            str(p.relative_to(folder))
            for p in sorted(folder.rglob("*.sql"))
            if (m := parse_name(p.name)) and m[0] in "VR"
        ]

    def read(self, folder: Path, options: LayoutOptions) -> Discovery:
        """Versioned migrations by version (their undo files as down), then repeatables."""
        versioned: dict[tuple[int, ...], tuple[str, Path]] = {}
        undo: dict[tuple[int, ...], Path] = {}
        repeatable: dict[str, Path] = {}
        ignored = []
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or path.name.endswith(".sql.conf"):
                continue
            parsed = parse_name(path.name)
            if parsed is None:
                ignored.append(str(path.relative_to(folder)))
                continue
            prefix, version, desc = parsed
            if prefix == "R":
                if version:
                    raise MigrationError(f"{path}: a repeatable migration has no version (R__name)")
                if desc in repeatable:
                    raise MigrationError(f"{path}: repeatable {desc!r} is also {repeatable[desc]}")
                repeatable[desc] = path
                continue
            if not VERSION.match(version):
                raise MigrationError(
                    f"{path}: invalid Flyway version {version!r} (digits separated by . or _)"
                )
            key = version_key(version)
            table = versioned if prefix == "V" else undo
            if key in table:
                other = table[key][1] if prefix == "V" else table[key]  # type: ignore[index]
                raise MigrationError(
                    f"{path}: found more than one migration with version "
                    f"{version.replace('_', '.')} (also {other}); Flyway refuses it too"
                )
            table[key] = (version, path) if prefix == "V" else path  # type: ignore[assignment]
        orphans = sorted(set(undo) - set(versioned))
        if orphans:
            names = [str(undo[k]) for k in orphans]
            raise MigrationError(f"undo migration(s) without a versioned one: {names}")
        migrations = [
            self._versioned(folder, key, *versioned[key], undo.get(key), options)
            for key in sorted(versioned)
        ]
        migrations += [
            self._repeatable(folder, desc, repeatable[desc], options) for desc in sorted(repeatable)
        ]
        numbered = [_renumber(m, i) for i, m in enumerate(migrations, 1)]
        return Discovery(self.name, folder, numbered, ignored)

    def history(self, conn: Connection, table: str | None = None) -> History:
        """``flyway_schema_history``."""
        return FlywayHistory(conn, table or self.default_table)

    def pending(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> tuple[list[Migration], list[str]]:
        """Versions above the highest applied, then new or changed repeatables."""
        return flyway_pending(migrations, state)

    def modified(self, migrations: Sequence[Migration], state: HistoryState) -> list[Migration]:
        """Applied versions whose Flyway checksum changed."""
        return flyway_modified(migrations, state)

    def check_up(self, state: HistoryState) -> None:
        """Failed runs stop Flyway."""
        flyway_check_up(state)

    def reverting(
        self, migrations: Sequence[Migration], state: HistoryState
    ) -> list[AppliedMigration]:
        """Applied versions, the highest first (repeatables cannot be undone)."""
        return sorted(
            versioned_rows(state),
            key=lambda a: version_key_or_zero(a.id),
            reverse=True,
        )

    def _versioned(
        self,
        folder: Path,
        key: tuple[int, ...],
        version: str,
        path: Path,
        undo: Path | None,
        options: LayoutOptions,
    ) -> Migration:
        desc = _description(path)
        up = _section(folder, path, options)
        down = _section(folder, undo, options) if undo else None
        return Migration(
            0,
            desc,
            path,
            undo,
            layout=self.name,
            id=version.replace("_", "."),
            order=(0, key),
            up=up,
            down=down,
            title=path.name.removesuffix(".sql"),
            meta=_meta(folder, path, undo),
        )

    def _repeatable(self, folder: Path, desc: str, path: Path, options: LayoutOptions) -> Migration:
        up = _section(folder, path, options)
        meta = _meta(folder, path, None)
        if _conf(path).get("placeholderReplacement", "true").lower() != "false":
            meta["checksum"] = checksum(up.sql)  # Flyway: a repeatable's, after replacement
        return Migration(
            0,
            desc,
            path,
            None,
            layout=self.name,
            id=desc.replace("_", " "),
            order=(1, (), desc),
            up=up,
            title=path.name.removesuffix(".sql"),
            repeatable=True,
            meta=meta,
        )


def _renumber(migration: Migration, position: int) -> Migration:
    return dataclasses.replace(migration, version=position)


def _meta(folder: Path, path: Path, undo: Path | None) -> dict[str, object]:
    meta: dict[str, object] = {
        "script": path.relative_to(folder).as_posix(),
        "description": _description(path).replace("_", " "),
        "checksum": checksum(read_text(path)),
    }
    if undo is not None:
        meta["undo_script"] = undo.relative_to(folder).as_posix()
        meta["undo_description"] = _description(undo).replace("_", " ")
        meta["undo_checksum"] = checksum(read_text(undo))
    return meta


def _description(path: Path) -> str:
    parsed = parse_name(path.name)
    return parsed[2] if parsed else path.stem


def _section(folder: Path, path: Path, options: LayoutOptions) -> Section:
    text = read_text(path)
    conf = _conf(path)
    values = {
        **options.placeholders,
        f"{BUILTIN}filename": path.name,
        f"{BUILTIN}table": options.placeholders.get(f"{BUILTIN}table", FlywayLayout.default_table),
    }
    body = text.removeprefix("\ufeff")
    if conf.get("placeholderReplacement", "true").lower() != "false":
        body = replace_placeholders(body, values, path)
    in_transaction = conf.get("executeInTransaction", "true").lower() != "false"
    start = len(text) - len(text.removeprefix("\ufeff"))
    return Section(body, path, 1, TRANSACTION if in_transaction else STATEMENTS, (start, len(text)))
