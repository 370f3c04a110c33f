"""The mutation catalogue: :class:`Mutation` and :class:`MutationRegistry` (spec 004).

Every mutation works on the statements PostgreSQL's parser (pglast) finds in a migration, so
case, line breaks and comments never matter, and every mutant it prints parses again (a change
whose printed SQL would not is skipped, and counted with its reason). Most mutations also
change the statements inside PL/pgSQL bodies (see :mod:`pgtdd.migrations.mutation.plpgsql`);
``Mutation.plpgsql`` says why the others do not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pglast import ast

from pgtdd.migrations.mutation.mutators import data, rollback, schema
from pgtdd.migrations.mutation.mutators import performance as perf
from pgtdd.migrations.mutation.plpgsql import SQL_BODY, sites_in_bodies, sql_body_statements
from pgtdd.migrations.sql_ast import (
    Edit,
    Site,
    SqlParseError,
    parse,
    render,
    same_statements,
    statement_span,
    to_sql,
)

CATEGORIES = ("SCHEMA", "DATA", "ROLLBACK", "PERFORMANCE")
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")
SiteFinder = Callable[[Sequence[ast.RawStmt]], list[Site]]


@dataclass(frozen=True)
class MutantSQL:
    """One mutant of one file: the site changed, the SQL, and ``key``: the change in a
    canonical form (two mutations making the same change make the same key)."""

    site: str
    sql: str
    key: str = ""


NO_CHANGE = "the change leaves the same statements"
NOT_PRINTED = "printed statement does not parse back to the same tree"


@dataclass(frozen=True)
class Mutation:
    """A kind of change a migration's tests should notice.

    ``direction`` says which files it mutates: ``"up"`` migrations, or ``"down"`` (ROLLBACK).
    ``plpgsql`` is empty when the mutation also changes the statements inside PL/pgSQL bodies
    (``DO`` blocks, functions, procedures); otherwise it says why it leaves them alone (those
    sites are counted as skipped, with that reason).
    """

    id: str
    description: str
    category: str
    severity: str
    keywords: list[str]
    finder: SiteFinder = field(repr=False, compare=False)
    direction: str = "up"
    plpgsql: str = ""
    whole_file: bool = False  # its sites span the file's statements (their order)

    def find(self, stmts: Sequence[ast.RawStmt]) -> list[Site]:
        """The sites in ``stmts``: top-level statements, then PL/pgSQL bodies when it claims."""
        sites = self.finder(stmts)
        if not self.plpgsql:
            sites += sites_in_bodies(self.finder, stmts)
        return sites

    def sites(self, sql: str) -> list[str]:
        """Labels of the places in ``sql`` this mutation can change."""
        return [site.label for site in self.find(parse(sql))]

    def generate(self, sql: str) -> tuple[list[MutantSQL], Counter[str]]:
        """One mutant per site, and the sites it skipped (reason -> count): a change whose
        printed SQL does not parse back, one that changes nothing, a site in a body it does not
        mutate. ``sql`` must parse (:class:`SqlParseError`).

        Each site is applied to a fresh parse of its own statement (a file of thousands of
        statements costs one parse of the file, not one per site); the statement printed back
        must parse to the changed tree (see :func:`~pgtdd.migrations.sql_ast.rewrite`) and is
        spliced into the original text in place of the old one.
        """
        original = parse(sql)
        if self.whole_file:
            return self._generate_whole(sql, original)
        result: list[MutantSQL] = []
        skipped: Counter[str] = Counter()
        for index, stmt in enumerate(original):
            start, end = statement_span(sql, stmt)
            text = sql[start:end]
            own = parse(text)
            if len(own) != 1:  # cannot happen for a statement the parser delimited
                continue
            for number, site in enumerate(self.find(own)):
                try:
                    edit = self.find(parse(text))[number].apply()
                    change = _one_statement(edit)
                except SqlParseError as exc:
                    skipped[_reason(exc)] += 1
                    continue
                changed = parse(change)[0].stmt if change is not None else None
                if changed == stmt.stmt:
                    skipped[NO_CHANGE] += 1
                    continue
                key = f"{index}:{to_sql(changed) if changed is not None else 'removed'}"
                mutant = render(sql, original, Edit({index: change}))
                result.append(MutantSQL(site.label, mutant, key))
            self._count_unclaimed(own, skipped)
        return result, skipped

    def _generate_whole(
        self, sql: str, original: tuple[Any, ...]
    ) -> tuple[list[MutantSQL], Counter[str]]:
        """For mutations of the whole file (the order of its statements): a fresh parse each."""
        result: list[MutantSQL] = []
        skipped: Counter[str] = Counter()
        for number, site in enumerate(self.find(original)):
            fresh = parse(sql)
            try:
                text = render(sql, fresh, self.find(fresh)[number].apply())
                mutated = parse(text)
            except SqlParseError as exc:
                skipped[_reason(exc)] += 1
                continue
            if same_statements(original, mutated):
                skipped[NO_CHANGE] += 1
            else:
                key = ";".join(to_sql(s.stmt) for s in mutated if s.stmt is not None)
                result.append(MutantSQL(site.label, text, f"whole:{key}"))
        return result, skipped

    def _count_unclaimed(self, stmts: Sequence[ast.RawStmt], skipped: Counter[str]) -> None:
        """Count the sites in bodies this mutation does not change, with the reason."""
        if self.plpgsql:
            found = len(sites_in_bodies(self.finder, stmts))
            if found:
                skipped[f"in a PL/pgSQL body: {self.plpgsql}"] += found
        in_sql_bodies = len(self.finder(sql_body_statements(stmts)))
        if in_sql_bodies:
            skipped[SQL_BODY] += in_sql_bodies

    def mutants(self, sql: str) -> list[MutantSQL]:
        """One mutant per site, each with one change (skipped sites left out, see
        :meth:`generate`)."""
        return self.generate(sql)[0]

    def apply_function(self, sql: str) -> str:
        """``sql`` with this mutation applied at every site it can change (unchanged when it
        has none)."""
        stmts = parse(sql)
        edit = Edit()
        for site in self.find(stmts):
            try:
                edit.merge(site.apply())
            except SqlParseError:
                continue  # that site is skipped, as in generate()
        return render(sql, stmts, edit) if edit.replace or edit.order else sql


def _one_statement(edit: Edit) -> str | None:
    """The new text of the one statement an edit changes (``None``: removed)."""
    if edit.order is not None or set(edit.replace) != {0}:
        raise SqlParseError("the change is not to one statement")
    return edit.replace[0]


def _reason(exc: SqlParseError) -> str:
    text = str(exc)
    return NOT_PRINTED if text.startswith(NOT_PRINTED) else text.split(":", 1)[0]


def _m(
    id: str,
    severity: str,
    description: str,
    keywords: str,
    finder: SiteFinder,
    direction: str = "up",
    plpgsql: str = "",
) -> Mutation:
    category = {"SCH": "SCHEMA", "DAT": "DATA", "RBK": "ROLLBACK", "PRF": "PERFORMANCE"}[id[:3]]
    whole_file = plpgsql == TOP_LEVEL
    return Mutation(
        id, description, category, severity, keywords.split(","), finder, direction, plpgsql,
        whole_file,
    )  # fmt: skip


# Why some mutations leave the statements of PL/pgSQL bodies alone.
LOOPS = "a data change in a body usually runs in a loop, which this change could make endless"
TOP_LEVEL = "it reorders the file's own statements"
REFUSED = "PostgreSQL refuses CONCURRENTLY inside a function or DO block"


def catalogue() -> list[Mutation]:
    """The 24 mutations: SCHEMA 6, DATA 7, ROLLBACK 5, PERFORMANCE 6."""
    down = "down"
    return [
        _m("SCH_001", "CRITICAL", "PRIMARY KEY not created", "primary key,constraint,create table",
           schema.primary_key_removed),
        _m("SCH_002", "HIGH", "FOREIGN KEY not created: orphaned rows accepted",
           "foreign key,references,constraint", schema.foreign_key_removed),
        _m("SCH_003", "HIGH", "NOT NULL removed from a column", "not null,column,constraint",
           schema.not_null_removed),
        _m("SCH_004", "MEDIUM", "UNIQUE constraint or unique index not enforced",
           "unique,index,constraint", schema.unique_removed),
        _m("SCH_005", "MEDIUM", "CHECK constraint not created", "check,constraint",
           schema.check_removed),
        _m("SCH_006", "LOW", "Column DEFAULT not set", "default,column", schema.default_removed),
        _m("DAT_001", "CRITICAL", "UPDATE without its WHERE clause changes every row",
           "update,where,backfill", data.update_where_removed, plpgsql=LOOPS),
        _m("DAT_002", "CRITICAL", "DELETE without its WHERE clause removes every row",
           "delete,where,cleanup", data.delete_where_removed, plpgsql=LOOPS),
        _m("DAT_003", "HIGH", "WHERE condition of a data change negated",
           "where,update,delete,insert", data.where_negated, plpgsql=LOOPS),
        _m("DAT_004", "HIGH", "Outer join turned into an inner join: unmatched rows lost",
           "join,insert select,backfill", data.left_join_to_inner),
        _m("DAT_005", "MEDIUM", "Seed row missing from an INSERT ... VALUES",
           "insert,values,seed", data.values_row_removed),
        _m("DAT_006", "MEDIUM", "UPDATE assigns a column to itself: the data fix does nothing",
           "update,set,backfill", data.assignment_to_self, plpgsql=LOOPS),
        _m("DAT_007", "LOW", "Comparison boundary moved in a data change (< <=, > >=, = <>)",
           "where,comparison,boundary", data.comparison_flipped, plpgsql=LOOPS),
        _m("RBK_001", "CRITICAL", "DROP missing from the down migration: the object stays",
           "drop,down,rollback", rollback.drop_removed, down),
        _m("RBK_002", "HIGH", "DROP COLUMN missing from the down migration",
           "drop column,alter table,down", rollback.drop_column_removed, down),
        _m("RBK_003", "HIGH", "Down migration statements run in reverse order",
           "order,dependencies,down", rollback.order_reversed, down, plpgsql=TOP_LEVEL),
        _m("RBK_004", "MEDIUM", "Constraint or default revert missing from the down migration",
           "drop constraint,not null,default,down", rollback.constraint_revert_removed, down),
        _m("RBK_005", "MEDIUM", "Data-restoring statement missing from the down migration",
           "update,insert,delete,data,down", rollback.data_revert_removed, down, plpgsql=LOOPS),
        _m("PRF_001", "HIGH", "Index the queries need is never created",
           "index,query plan,seq scan", perf.index_removed),
        _m("PRF_002", "HIGH", "CONCURRENTLY removed: the index build blocks writes",
           "concurrently,index,lock", perf.concurrently_removed, plpgsql=REFUSED),
        _m("PRF_003", "HIGH", "Batched backfill turned into one full-table statement",
           "batch,backfill,update,lock", perf.batch_removed),
        _m("PRF_004", "MEDIUM", "Constraint validated at once instead of NOT VALID + VALIDATE",
           "not valid,validate,constraint,lock", perf.not_valid_removed),
        _m("PRF_005", "MEDIUM", "lock_timeout/statement_timeout guard removed: unbounded waits",
           "lock_timeout,statement_timeout,lock", perf.timeout_guard_removed),
        _m("PRF_006", "LOW", "Composite index columns reversed: the leading column is lost",
           "index,column order,query plan", perf.index_columns_reversed),
    ]  # fmt: skip


class MutationRegistry:
    """The catalogue of mutations, by category, id and severity."""

    def __init__(self, mutations: Sequence[Mutation] | None = None) -> None:
        self._all = list(mutations if mutations is not None else catalogue())
        self._by_id = {m.id: m for m in self._all}

    @property
    def mutations(self) -> dict[str, list[Mutation]]:
        """All mutations by category (SCHEMA, DATA, ROLLBACK, PERFORMANCE)."""
        return {c: [m for m in self._all if m.category == c] for c in CATEGORIES}

    @property
    def schema_mutations(self) -> list[Mutation]:
        """The SCHEMA mutations."""
        return self.get_category_mutations("SCHEMA")

    @property
    def data_mutations(self) -> list[Mutation]:
        """The DATA mutations."""
        return self.get_category_mutations("DATA")

    @property
    def rollback_mutations(self) -> list[Mutation]:
        """The ROLLBACK mutations."""
        return self.get_category_mutations("ROLLBACK")

    @property
    def performance_mutations(self) -> list[Mutation]:
        """The PERFORMANCE mutations."""
        return self.get_category_mutations("PERFORMANCE")

    def get_category_mutations(self, category: str) -> list[Mutation]:
        """Mutations of ``category`` (case-insensitive); an unknown category is an error."""
        wanted = category.upper()
        if wanted not in CATEGORIES:
            raise ValueError(f"unknown mutation category {category!r}: use one of {CATEGORIES}")
        return [m for m in self._all if m.category == wanted]

    def get_mutation_by_id(self, mutation_id: str) -> Mutation | None:
        """The mutation called ``mutation_id`` (e.g. ``SCH_001``), or ``None``."""
        return self._by_id.get(mutation_id.upper())

    def get_all_mutations(self) -> list[Mutation]:
        """Every mutation, in catalogue order."""
        return list(self._all)

    def has_mutation(self, mutation_id: str) -> bool:
        """Whether ``mutation_id`` is in the catalogue."""
        return mutation_id.upper() in self._by_id

    def get_mutations_by_severity(self, severity: str) -> list[Mutation]:
        """Mutations of ``severity`` (CRITICAL, HIGH, MEDIUM, LOW; case-insensitive)."""
        wanted = severity.upper()
        if wanted not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}: use one of {SEVERITIES}")
        return [m for m in self._all if m.severity == wanted]

    def get_mutations_by_keyword(self, keyword: str) -> list[Mutation]:
        """Mutations whose keywords contain ``keyword`` (case-insensitive substring)."""
        needle = keyword.lower()
        return [m for m in self._all if any(needle in k for k in m.keywords)]

    def select(self, ids: Sequence[str] | None = None) -> MutationRegistry:
        """A registry with only the given ids (all when ``None``); unknown ids are an error."""
        if ids is None:
            return self
        unknown = [i for i in ids if not self.has_mutation(i)]
        if unknown:
            raise ValueError(f"unknown mutation id(s) {unknown}: see MutationRegistry().mutations")
        return MutationRegistry([self._by_id[i.upper()] for i in ids])

    def __len__(self) -> int:
        return len(self._all)
