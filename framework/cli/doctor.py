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
import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pgtdd.cli.doctor_checks import Check, DatabaseChecks, Report, Status, one_line
from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import Settings, activated, resolve_settings
from pgtdd.databases.guard import (
    UnsafeDatabaseError,
    check_test_database,
    ensure_test_database,
    may_be_marked,
)
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo

TDD_TRUE = frozenset({"true", "yes", "1", "on", "enabled"})


class Doctor(DatabaseChecks):
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
        """Record a check with its secrets masked, and show it if progress is wanted."""
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
        with activated(settings), self._server(settings) as server:
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
            from pgtdd.serverinfo import ServerURLError, parse_url

            with contextlib.suppress(ServerURLError):  # reported by the guard's check
                self.secrets.append(parse_url(profile.url).password)
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
        from pgtdd.serverinfo import DEFAULT_URL, ServerURLError, parse_url

        try:
            server = parse_url(profile.url or DEFAULT_URL, profile=profile.name)
            verdict = check_test_database(server, settings, environ=self.environ)
        except (ProfileError, ServerURLError, RuntimeError) as exc:
            self.add("guard", "fail", str(exc), "fix the URL or PGTDD_ALLOW_DATABASE")
            return False
        if verdict.allowed:
            self.add("guard", "ok", f"{server.safe_url} allowed: {verdict.reason}")
            return True
        if may_be_marked(server, profile):  # accept_marked: the server check reads the mark
            self.add(
                "guard",
                "ok",
                f"{server.safe_url} accepted once seen marked as a test server "
                f"(profile {profile.name}: accept_marked; read when the server answers)",
            )
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
        with contextlib.closing(client):
            self._image(client, profile.image, profile.version)
        return True

    def _image(self, client: Any, candidates: tuple[str, ...], version: int | None) -> None:
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
            "on a host without a registry build it with `pgtdd image build --offline"
            + (f" --version {version}`" if version is not None else "`"),
        )

    # ----------------------------------------------------------------- the server

    @contextmanager
    def _server(self, settings: Settings) -> Iterator[ServerInfo | None]:
        from pgtdd.providers.base import make_provider

        profile = settings.profile
        if profile.provider == "external":  # its settings are checked below, one line each
            profile = dataclasses.replace(profile, server_settings={})
        provider = make_provider(profile)
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
            # the TDD pool below may open on it (and reads an accept_marked server's mark).
            try:
                ensure_test_database(server, settings, environ=self.environ)
            except UnsafeDatabaseError as exc:
                reason, _, fix = str(exc).partition(" If it is a server for tests, ")
                self.add("server", "fail", reason, fix or "mark the server as a test server")
                yield None
                return
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


def server_failure(exc: BaseException, settings: Settings) -> tuple[str, str]:
    """(what happened, the fix) for an exception raised while starting the profile's server."""
    from pgtdd.providers.container import ImageUnavailableError
    from pgtdd.providers.engine import DockerUnavailableError
    from pgtdd.providers.native import BinariesNotFoundError

    message = str(exc).strip()
    what, _, log = message.partition("\n--- server log (last lines) ---\n")
    log_note = f" | server log: {one_line(log)}" if log.strip() else ""
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
        from pgtdd.serverinfo import DEFAULT_URL, parse_url

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
    return f"{first} {one_line(rest)}".strip() + log_note, fix


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
