"""``pgtdd migrate up|down|redo|status|verify DIR`` and ``pgtdd mutate DIR --tests PATH``.

The server comes from ``--url`` (default: ``TEST_DATABASE_URL``). ``migrate up|down|redo|status``
act on that URL's database; ``migrate verify`` and ``mutate`` only use the server (they create
databases of their own).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import Settings, resolve_settings
from pgtdd.databases.guard import UnsafeDatabaseError, ensure_test_database
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo, ServerURLError, parse_url

if TYPE_CHECKING:
    from pgtdd.migrations.mutation.report import MutationReport
    from pgtdd.migrations.runner import Migration, MigrationRunner
    from pgtdd.migrations.verify_rules import VerifyRules

# The toolkit (pglast among it) is imported by the handlers: `pgtdd up` and the other
# commands build this parser too, and should not pay for it.

Subparsers = Any  # argparse's _SubParsersAction is private
FOLDER_HELP = "migrations folder: golang-migrate, Diesel, dbmate, goose or Flyway layout"


def add_subcommands(subparsers: Subparsers) -> None:
    """Add ``migrate`` and ``mutate`` to the ``pgtdd`` command."""
    migrate = subparsers.add_parser(
        "migrate", help="apply, revert, list or verify a folder's migrations"
    )
    actions = migrate.add_subparsers(dest="action", required=True, metavar="ACTION")
    helps = {
        "up": "apply pending migrations",
        "down": "revert applied migrations",
        "redo": "revert and apply again",
        "status": "list applied and pending migrations",
    }
    for name, text in helps.items():
        action = actions.add_parser(name, help=text)
        action.add_argument("dir", help=FOLDER_HELP)
        if name in ("up", "down"):
            action.add_argument(
                "--target",
                help="up: stop at this version (a number, or a migration's version/name as the "
                "folder writes it); down: revert the migrations above it",
            )
        if name in ("down", "redo"):
            action.add_argument("--steps", type=int, default=1, help="how many (default 1)")
        _layout_options(action)
        _url_option(action)
        action.set_defaults(func=run_migrate)
    _add_verify(actions)

    mutate = subparsers.add_parser(
        "mutate", help="mutation-test a migration folder against its tests"
    )
    mutate.add_argument("dir", help=FOLDER_HELP)
    mutate.add_argument("--tests", required=True, action="append", help="pytest path(s) to run")
    mutate.add_argument("--json", action="store_true", help="print the report as JSON")
    mutate.add_argument("--timeout", type=float, help="seconds per mutant [env MUTATION_TIMEOUT]")
    mutate.add_argument("--max-mutations", type=int, help="judge at most this many mutants")
    mutate.add_argument("--mutations", help="comma-separated ids to run (e.g. SCH_001,DAT_002)")
    mutate.add_argument(
        "--mode",
        choices=("session", "inprocess", "subprocess"),
        default="session",
        help="how pytest runs per mutant (default session: one pytest session for all)",
    )
    mutate.add_argument(
        "--workers",
        type=int,
        help="processes judging mutants at once (pytest sessions of their own) "
        "[env MUTATION_WORKERS, default 1]",
    )
    mutate.add_argument("--min-kill-rate", type=float, help="exit 1 below this percentage")
    mutate.add_argument("--keep-templates", action="store_true", help="keep template databases")
    mutate.add_argument("-v", "--verbose", action="store_true", help="one line per mutant")
    _url_option(mutate)
    mutate.set_defaults(func=run_mutate)


def _add_verify(actions: Subparsers) -> None:
    verify = actions.add_parser(
        "verify",
        help="check that every migration's down undoes its up (and the up runs again)",
        description="For every migration in order: up, down (the schema must equal the one "
        "before the up), up again (it must equal the first up's). Exit 1 on any finding. Ignore "
        "rules add to the profile's migration_verify section.",
    )
    verify.add_argument("dir", help=FOLDER_HELP)
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument(
        "--ignore-kind",
        action="append",
        default=[],
        metavar="KIND[.FIELD]",
        help="do not count differences of this kind (index), field (column.position) or field "
        "of every kind (*.owner); repeatable",
    )
    verify.add_argument(
        "--ignore-name",
        action="append",
        default=[],
        metavar="PATTERN",
        help="do not count differences of objects named so (public.audit_*); repeatable",
    )
    verify.add_argument(
        "--irreversible",
        action="append",
        default=[],
        metavar="MIGRATION",
        help="a migration known to be irreversible (label, version or name; patterns allowed): "
        "reported as listed, not as a finding; repeatable",
    )
    verify.add_argument(
        "--on-error",
        choices=("continue", "stop"),
        help="after a failed up or down: go on with the next migration (default) or stop",
    )
    verify.add_argument(
        "--show-ignored", action="store_true", help="also list the differences the rules ignore"
    )
    verify.add_argument("-v", "--verbose", action="store_true", help="one line per migration")
    _layout_options(verify)
    _url_option(verify)
    verify.set_defaults(func=run_verify)


def _layout_options(parser: argparse.ArgumentParser) -> None:
    from pgtdd.config.profile import MIGRATION_LAYOUTS

    parser.add_argument(
        "--layout",
        choices=MIGRATION_LAYOUTS,
        help="the folder's layout (default: detected from its files) [profile migrations_layout]",
    )
    parser.add_argument(
        "--table", help="history table name (default: the layout's tool's own table)"
    )
    parser.add_argument(
        "--schema",
        action="append",
        default=[],
        dest="schemas",
        help="Flyway's schemas setting (repeatable): created when missing; the first holds the "
        "history table and goes first on the search path",
    )
    parser.add_argument(
        "--placeholder",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Flyway placeholder value for ${NAME} (repeatable)",
    )


def _placeholders(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ProfileError(f"--placeholder {item!r}: write NAME=VALUE")
        values[name] = value
    return values


def _layout(args: argparse.Namespace) -> str | None:
    """--layout, else the profile's migrations_layout, else None (detected). A profile that
    does not load is an error here: its layout key would be silently ignored."""
    if args.layout:
        return str(args.layout)
    return resolve_settings().profile.migrations_layout


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=None,
        help="postgresql://user:password@host:port/database [env TEST_DATABASE_URL]",
    )


def _server(args: argparse.Namespace, *, destructive: bool) -> ServerInfo:
    url = args.url or os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise ProfileError(
            "no server: pass --url with a postgresql:// URL or set TEST_DATABASE_URL "
            "(`pgtdd up` starts a server and prints its URL)"
        )
    try:
        server = parse_url(url, profile="cli")
    except ServerURLError as exc:
        raise ProfileError(f"--url / TEST_DATABASE_URL: {exc}") from None
    if destructive:
        # Mutants create and drop databases, `down` drops tables: only on a test database.
        ensure_test_database(server, _profile_or_none())
    return server


def _profile_or_none() -> Settings | None:
    try:
        return resolve_settings()
    except ProfileError:
        return None


def run_migrate(args: argparse.Namespace) -> int:
    """``pgtdd migrate``."""
    from pgtdd.migrations.runner import MigrationError, MigrationRunner

    runner: MigrationRunner | None = None
    try:
        server = _server(args, destructive=args.action in ("down", "redo"))
        runner = MigrationRunner(
            server,
            args.dir,
            layout=_layout(args),
            tracking_table=args.table,
            placeholders=_placeholders(args.placeholder),
            schemas=args.schemas,
        )
        with runner:
            return _migrate(runner, args)
    except (MigrationError, ProfileError, UnsafeDatabaseError) as exc:
        _print_notes(runner)
        print(f"pgtdd migrate: {redact(str(exc))}", file=sys.stderr)
        return 2


def _migrate(runner: MigrationRunner, args: argparse.Namespace) -> int:
    print(f"layout: {runner.layout.name} (history table {runner.history.table})")
    if args.action != "status":
        done = _act(runner, args)
        _print_notes(runner)
        print(f"{args.action}: " + (", ".join(m.label for m in done) or "nothing to do"))
    status = runner.status()
    if runner.ignored:
        shown = ", ".join(runner.ignored[:10]) + (" ..." if len(runner.ignored) > 10 else "")
        print(f"note: not {runner.layout.name} migrations, ignored: {shown}", file=sys.stderr)
    print("\n".join(status.lines()) or "no migrations")
    if not status.is_clean:
        print(
            "warning: the history shows edited, missing, dirty or failed migrations",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_notes(runner: MigrationRunner | None) -> None:
    for note in runner.notes if runner is not None else ():
        print(f"note: {redact(note)}", file=sys.stderr)


def _act(runner: MigrationRunner, args: argparse.Namespace) -> list[Migration]:
    target = _target(args.target)
    if args.action == "up":
        return runner.up(target)
    if args.action == "redo":
        return runner.redo(args.steps)
    if target is not None:
        return runner.down(target=target)
    return runner.down(args.steps)


def verify_rules(args: argparse.Namespace, settings: Settings | None) -> VerifyRules:
    """The profile's ``migration_verify`` rules plus the command line's."""
    from pgtdd.migrations.verify_rules import VerifyRules, profile_rules

    base = profile_rules(settings)
    given = VerifyRules(
        tuple(args.ignore_kind),
        tuple(args.ignore_name),
        tuple(args.irreversible),
        args.on_error or base.on_error,
    )
    return base.merged(given)


def run_verify(args: argparse.Namespace) -> int:
    """``pgtdd migrate verify``: 0 without findings, 1 with, 2 when it cannot run."""
    import psycopg

    from pgtdd.databases.janitor import JanitorError
    from pgtdd.migrations.runner import MigrationError
    from pgtdd.migrations.verify import MigrationVerifier
    from pgtdd.migrations.verify_rules import VerifyRulesError

    try:
        server = _server(args, destructive=True)
        rules = verify_rules(args, resolve_settings())  # a broken profile is an error here
        verifier = MigrationVerifier(
            server,
            args.dir,
            rules=rules,
            out=sys.stderr if args.verbose else None,
            layout=_layout(args),
            tracking_table=args.table,
            placeholders=_placeholders(args.placeholder),
            schemas=args.schemas,
        )
        report = verifier.run()
    except (
        MigrationError,
        ProfileError,
        UnsafeDatabaseError,
        VerifyRulesError,
        JanitorError,
        psycopg.Error,  # the server refused the run's own setup (not a migration: those report)
    ) as exc:
        print(f"pgtdd migrate verify: {redact(str(exc))}", file=sys.stderr)
        return 2
    print(report.to_json() if args.json else report.render(show_ignored=args.show_ignored))
    return report.exit_code


def _target(text: str | None) -> int | str | None:
    """A number compares with versions; other text names a migration."""
    if text is None:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else text


def run_mutate(args: argparse.Namespace) -> int:
    """``pgtdd mutate``."""
    from pgtdd.migrations.mutation.catalogue import MutationRegistry
    from pgtdd.migrations.mutation.checks import PytestCheck
    from pgtdd.migrations.mutation.runner import MutationRunner, MutationSetupError
    from pgtdd.migrations.runner import MigrationError

    try:
        server = _server(args, destructive=True)
        registry = MutationRegistry()
        if args.mutations:
            registry = registry.select([m.strip() for m in args.mutations.split(",")])
        runner = MutationRunner(
            registry,
            verbose=args.verbose,
            migrations_dir=args.dir,
            server=server,
            check=PytestCheck(args.tests, mode=args.mode),
            keep_templates=args.keep_templates,
            workers=args.workers,
        )
        report = runner.run_mutation_suite(
            timeout_seconds=args.timeout, max_mutations=args.max_mutations
        )
    except (
        MutationSetupError,
        MigrationError,
        ProfileError,
        UnsafeDatabaseError,
        ValueError,
    ) as exc:
        print(f"pgtdd mutate: {redact(str(exc))}", file=sys.stderr)
        return 2
    print(report.to_json() if args.json else render(report))
    if args.min_kill_rate is not None and report.kill_rate < args.min_kill_rate:
        print(
            f"kill rate {report.kill_rate:.1f}% is below --min-kill-rate {args.min_kill_rate:g}",
            file=sys.stderr,
        )
        return 1
    return 0


def render(report: MutationReport) -> str:
    """The text report: kill rate, survivors with their descriptions and diffs, stillborn."""
    lines = [report.get_summary()]
    survivors = report.get_survived_results()
    if survivors:
        lines.append("\nSurviving mutants (the tests did not notice these changes):")
        for result in survivors:
            mutation = result.mutation
            lines.append(
                f"\n{mutation.id} [{mutation.severity}] {mutation.description}\n"
                f"  {result.file}: {result.site}"
            )
            lines += ["    " + line for line in result.diff.splitlines()[2:]]
    lines.append("\n" + json.dumps({"kill_rate": report.kill_rate}))
    return "\n".join(lines)
