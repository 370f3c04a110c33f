"""What ``pgtdd migrate verify`` found: per migration, the differences its down leaves and its
failures (the ignore rules are in :mod:`pgtdd.migrations.verify_rules`), and the report as
text or JSON.

Two checks per migration: **down** compares the schema before the up with the schema after the
down (they must be equal); **redo** compares the schema after the up with the schema after the
up run again on top of the down (they must be equal too).
"""

from __future__ import annotations

import difflib
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pgtdd.migrations.snapshot import SchemaSnapshot, kind_of
from pgtdd.migrations.verify_rules import VerifyRules

DOWN, REDO = "down", "redo"
REVERSIBLE, IRREVERSIBLE, REDO_DIFFERS = "reversible", "irreversible", "redo_differs"
FAILED, LISTED, NOT_CHECKED = "failed", "listed", "not_checked"
# Statuses that make the run fail (exit code 1).
FINDINGS = (IRREVERSIBLE, REDO_DIFFERS, FAILED)


@dataclass
class Difference:
    """One object that differs. ``check`` is ``down`` (before the up vs after the down) or
    ``redo`` (after the up vs after down and up again); ``change`` is ``left`` (there after the
    down/redo only), ``missing`` (there before only) or ``changed`` (``fields``: name ->
    [expected, found])."""

    check: str
    change: str
    kind: str
    name: str
    fields: dict[str, list[Any]] = field(default_factory=dict)
    ignored_by: str | None = None
    parts: int = 0  # objects of a table (columns, indexes...) counted in the table's line

    def line(self) -> str:
        """What differs, in words (long values as a short diff on the lines below)."""
        after = "after the down" if self.check == DOWN else "after down and up again"
        if self.change == "changed":
            expected = "before the up" if self.check == DOWN else "after the first up"
            text = f"{self.kind} {self.name}: " + "; ".join(
                _field_change(name, before, found, expected, after)
                for name, (before, found) in self.fields.items()
            )
        elif self.change == "left":
            verb = "left behind by the down" if self.check == DOWN else f"there only {after}"
            text = f"{self.kind} {self.name}: {verb}"
        else:
            text = f"{self.kind} {self.name}: missing {after}"
        if self.parts:
            text += f" (with {self.parts} object{'s' if self.parts > 1 else ''} of its own)"
        return text + (f" (ignored: {self.ignored_by})" if self.ignored_by else "")

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "check": self.check, "change": self.change, "kind": self.kind, "name": self.name,
            "fields": self.fields, "ignored_by": self.ignored_by, "parts": self.parts,
        }  # fmt: skip


def differences(
    check: str, expected: SchemaSnapshot, found: SchemaSnapshot, rules: VerifyRules
) -> list[Difference]:
    """Object-level differences between two snapshots, each marked with the rule ignoring it.

    A foreign key is reported once (as a constraint), and so is the index behind a unique or
    primary-key constraint. Columns whose positions moved only because a column before them
    was added or dropped are not reported; a different order of the same columns is, once per
    table (``column`` *table*: ``position`` [order before, order after]).
    """
    diff = expected.diff(found)
    out: list[Difference] = []
    for section, change, names in [
        *((s, "left", n) for s, n in diff.added.items()),
        *((s, "missing", n) for s, n in diff.removed.items()),
    ]:
        kind = kind_of(section)
        out += [
            Difference(check, change, kind, n, ignored_by=rules.ignoring(kind, n)) for n in names
        ]
    for section, objects in diff.changed.items():
        kind = kind_of(section)
        for name, props in objects.items():
            props = {f: v for f, v in props.items() if not (kind == "column" and f == "position")}
            if props:
                out.append(_changed(check, kind, name, props, rules))
    out += _column_orders(check, expected, found, rules)
    return _without_echoes(out, expected, found)


def _column_orders(
    check: str, expected: SchemaSnapshot, found: SchemaSnapshot, rules: VerifyRules
) -> list[Difference]:
    """One difference per table whose columns (those on both sides) come in another order."""
    before_orders, after_orders = _orders(expected), _orders(found)
    out = []
    for table in sorted(set(expected.tables) & set(found.tables)):
        before, after = before_orders.get(table, []), after_orders.get(table, [])
        common = set(before) & set(after)
        before = [c for c in before if c in common]
        after = [c for c in after if c in common]
        if before != after:
            out.append(_changed(check, "column", table, {"position": [before, after]}, rules))
    return out


def _orders(snapshot: SchemaSnapshot) -> dict[str, list[str]]:
    """Each table's columns in order (``schema.table`` -> names)."""
    positions: dict[str, list[tuple[int, str]]] = {}
    for key, props in snapshot.columns.items():
        table, _, column = key.rpartition(".")
        positions.setdefault(table, []).append((props["position"], column))
    return {table: [name for _, name in sorted(cols)] for table, cols in positions.items()}


def _without_echoes(
    found: list[Difference], expected: SchemaSnapshot, actual: SchemaSnapshot
) -> list[Difference]:
    """Each object once: a foreign key as its constraint, a constraint's index as the
    constraint, and what belongs to a table (columns, constraints, indexes, triggers, policies,
    rules, owned sequences) inside the table's own line when the whole table differs."""
    constraints = {(d.change, d.name) for d in found if d.kind == "constraint"}
    echoes = {
        (change, f"{name.split('.')[0]}.{name.rsplit('.', 1)[-1]}") for change, name in constraints
    }
    kept = [
        d
        for d in found
        if not (d.kind == "foreign_key" and (d.change, d.name) in constraints)
        and not (d.kind == "index" and (d.change, d.name) in echoes)
    ]
    tables = {(d.change, d.name): d for d in kept if d.kind == "table" and d.change != "changed"}
    out = []
    for d in kept:
        owner = _owning_table(d, expected, actual)
        whole = tables.get((d.change, owner)) if owner else None
        if whole is not None:
            whole.parts += 1
        else:
            out.append(d)
    return out


def _owning_table(d: Difference, expected: SchemaSnapshot, actual: SchemaSnapshot) -> str | None:
    """The table an object belongs to (``None`` for a table, or an object of no table)."""
    if d.kind in ("column", "constraint", "trigger", "policy", "rule", "foreign_key"):
        return d.name.rsplit(".", 1)[0]
    if d.kind not in ("index", "sequence"):
        return None
    section = "indexes" if d.kind == "index" else "sequences"
    props = actual.data[section].get(d.name) or expected.data[section].get(d.name)
    if d.kind == "index" and props:
        return str(props["table"])
    if d.kind == "sequence" and props and props.get("owned_by"):
        return str(props["owned_by"]).rsplit(".", 1)[0]
    return None


def _changed(
    check: str, kind: str, name: str, props: dict[str, list[Any]], rules: VerifyRules
) -> Difference:
    reasons = {f: rules.ignoring(kind, name, f) for f in props}
    counted = {f: v for f, v in props.items() if reasons[f] is None}
    if counted:
        return Difference(check, "changed", kind, name, counted)
    return Difference(check, "changed", kind, name, props, ignored_by=next(iter(reasons.values())))


def _field_change(name: str, before: Any, found: Any, expected: str, after: str) -> str:
    if name == "position" and isinstance(before, list):
        return "columns in another order: " + ", ".join(
            f"{column} {before.index(column) + 1}{_th(before.index(column) + 1)} {expected}, "
            f"{found.index(column) + 1}{_th(found.index(column) + 1)} {after}"
            for column in _moved(before, found)
        )
    long = any(isinstance(v, str) and (len(v) > 60 or "\n" in v) for v in (before, found))
    if not long:
        return f"{name} {before!r} {expected}, {found!r} {after}"
    same = isinstance(before, str) and isinstance(found, str) and before.split() == found.split()
    lines = difflib.unified_diff(
        str(before).splitlines(), str(found).splitlines(), expected, after, n=0, lineterm=""
    )
    shown = [f"      {line}" for line in list(lines)[2:]][:12]
    return f"{name} differs" + (" (whitespace only)" if same else "") + ":\n" + "\n".join(shown)


def _moved(before: list[str], after: list[str]) -> list[str]:
    """The columns out of place, read in the new order: each column that comes before one it
    used to follow (a column added again by a down lands at the end: that one)."""
    moved, last = [], -1
    for column in after:
        index = before.index(column)
        if index < last:
            moved.append(column)
        else:
            last = index
    return moved


def _th(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@dataclass
class StepFailure:
    """A step that failed: ``step`` is ``up``, ``down`` or ``redo`` (the second up)."""

    step: str
    file: str
    message: str
    sqlstate: str | None = None
    statement: str = ""
    line: int | None = None

    def text(self) -> str:
        """``file line N: statement`` and the server's error."""
        where = f"{self.file}" + (f" line {self.line}" if self.line else "")
        flat = " ".join(self.statement.split())  # one line, whatever the file's layout
        shown = flat if len(flat) <= 300 else flat[:297] + "..."
        state = f" [{self.sqlstate}]" if self.sqlstate else ""
        return f"{self.step} failed in {where}: {shown}\n    ERROR{state}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "step": self.step, "file": self.file, "line": self.line, "statement": self.statement,
            "sqlstate": self.sqlstate, "message": self.message,
        }  # fmt: skip


@dataclass
class MigrationCheck:
    """The verdict on one migration."""

    label: str
    version: str
    status: str = NOT_CHECKED
    path: str = ""  # "transaction" (rolled back) or "clone" (a database copy)
    notes: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    failure: StepFailure | None = None
    listed_by: str | None = None
    seconds: float = 0.0

    def counted(self, check: str | None = None) -> list[Difference]:
        """Differences no rule ignores (of one check, or both)."""
        return [
            d
            for d in self.differences
            if d.ignored_by is None and (check is None or d.check == check)
        ]

    def decide(self) -> None:
        """Set ``status`` from the failure, the notes and the differences found."""
        if self.listed_by is not None:
            self.status = LISTED
        elif self.failure is not None:
            self.status = FAILED
        elif self.counted(DOWN) or any(n.startswith("irreversible:") for n in self.notes):
            self.status = IRREVERSIBLE
        elif self.counted(REDO):
            self.status = REDO_DIFFERS
        else:
            self.status = REVERSIBLE

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "migration": self.label, "version": self.version, "status": self.status,
            "path": self.path, "notes": self.notes, "listed_by": self.listed_by,
            "failure": self.failure.to_dict() if self.failure else None,
            "differences": [d.to_dict() for d in self.differences],
            "seconds": round(self.seconds, 6),
        }  # fmt: skip


@dataclass
class VerifyReport:
    """Every migration's verdict, in order; :attr:`exit_code` is 1 on any finding."""

    project: str
    rules: VerifyRules
    checks: list[MigrationCheck] = field(default_factory=list)
    duration_seconds: float = 0.0
    database_prefix: str = ""  # the run's databases (all dropped at its end)
    notes: list[str] = field(default_factory=list)  # about the folder (files the layout ignores)

    def with_status(self, *statuses: str) -> list[MigrationCheck]:
        """The migrations whose status is one of ``statuses``."""
        return [c for c in self.checks if c.status in statuses]

    @property
    def irreversible(self) -> list[MigrationCheck]:
        """Migrations whose down does not restore the schema (or has no statements)."""
        return self.with_status(IRREVERSIBLE)

    @property
    def failed(self) -> list[MigrationCheck]:
        """Migrations whose up, down or second up failed."""
        return self.with_status(FAILED)

    @property
    def ok(self) -> bool:
        """No finding: every migration reversible, listed, or differing only in ignored ways."""
        return not self.with_status(*FINDINGS, NOT_CHECKED)

    @property
    def exit_code(self) -> int:
        """0 without findings, 1 with."""
        return 0 if self.ok else 1

    def counts(self) -> dict[str, int]:
        """Migrations per status."""
        names = (REVERSIBLE, IRREVERSIBLE, REDO_DIFFERS, FAILED, LISTED, NOT_CHECKED)
        return {s: len(self.with_status(s)) for s in names}

    def median_seconds(self) -> float:
        """Median time per checked migration (up, down, up and three snapshots)."""
        times = [c.seconds for c in self.checks if c.status != NOT_CHECKED]
        return statistics.median(times) if times else 0.0

    def summary(self) -> str:
        """One line: how many migrations, and how many of each verdict."""
        counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in self.counts().items() if n)
        return (
            f"verify {self.project}: {len(self.checks)} migrations ({counts}) in "
            f"{self.duration_seconds:.2f}s, median {self.median_seconds() * 1000:.0f} ms "
            "a migration"
        )

    def render(self, *, show_ignored: bool = False) -> str:
        """The text report: each migration with a finding, what differs, then the summary."""
        lines: list[str] = [f"note: {note}" for note in self.notes]
        for check in self.checks:
            if check.status == REVERSIBLE and not (show_ignored and check.differences):
                continue
            lines += _check_lines(check, show_ignored)
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "project": self.project,
            "ok": self.ok,
            "counts": self.counts(),
            "duration_seconds": round(self.duration_seconds, 3),
            "median_seconds": round(self.median_seconds(), 6),
            "notes": self.notes,
            "rules": {
                "ignore_kinds": list(self.rules.ignore_kinds),
                "ignore_names": list(self.rules.ignore_names),
                "irreversible": list(self.rules.irreversible),
                "on_error": self.rules.on_error,
            },
            "migrations": [c.to_dict() for c in self.checks],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON."""
        return json.dumps(self.to_dict(), indent=indent, default=str)


def _check_lines(check: MigrationCheck, show_ignored: bool) -> list[str]:
    title = check.status.upper().replace("_", " ")
    head = f"{title} {check.label}"
    if check.listed_by:
        head += f" (listed as irreversible: {check.listed_by})"
    lines = [head]
    lines += [f"  {note}" for note in check.notes]
    if check.failure is not None:
        lines.append("  " + check.failure.text())
    shown: Sequence[Difference] = (
        check.differences if show_ignored or check.listed_by else check.counted()
    )
    lines += [f"  {d.line()}" for d in shown]
    hidden = len(check.differences) - len(shown)
    if hidden:
        lines.append(f"  ({hidden} difference(s) ignored by the rules)")
    return lines
