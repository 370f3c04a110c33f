"""The ``pgtdd`` command line: up, down, status, image build, and the toolkit's subcommands."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import resolve_settings
from pgtdd.redact import redact

# Modules contributing subcommands: each has ``add_subcommands(subparsers) -> None``.
# The commands each module adds: a command's parser imports only its own module (doctor's
# pulls in asyncpg and tenacity, some 0.3 s that `pgtdd migrate` has no use for).
SUBCOMMANDS: dict[str, tuple[str, ...]] = {
    "pgtdd.cli.doctor": ("doctor",),
    "pgtdd.performance.cli": ("bench", "perf-baseline", "perf-gate"),
    "pgtdd.migrations.cli": ("migrate", "mutate"),
}
SUBCOMMAND_MODULES: tuple[str, ...] = tuple(SUBCOMMANDS)

Handler = Callable[[argparse.Namespace], int]


def _up(args: argparse.Namespace) -> int:
    from pgtdd.fixtures.header import server_lines
    from pgtdd.session import start_server

    settings = resolve_settings(
        cli_profile=args.profile, cli_port=args.port, cli_version=args.db_version
    )
    profile = settings.profile
    if profile.provider == "container":
        # `up` is for a server that outlives the command: always the reusable container.
        profile = dataclasses.replace(profile, reuse=True)
    elif profile.provider == "native":
        print(
            "pgtdd up: the native provider lives only as long as a pytest session", file=sys.stderr
        )
        return 2
    _, server = start_server(dataclasses.replace(settings, profile=profile))
    if profile.provider == "container" and server.container_id:
        from pgtdd.providers.ownership import project_root
        from pgtdd.providers.up import mark

        mark(profile, project_root(), server.container_id)
    out = sys.stderr if args.env else sys.stdout  # --env: stdout is only what eval reads
    for line in server_lines(server, None, verbose=True):
        print(line, file=out)
    if args.env:
        print("\n".join(env_lines(server)))
        return 0
    print(f"URL: {server.url if args.show_password else server.safe_url}")
    if not args.show_password:
        print("(password masked: it is the profile's `password`; --show-password prints it)")
    return 0


def env_lines(server: Any) -> list[str]:
    """``DATABASE_URL=`` and the libpq ``PG*`` variables of ``server``, shell-quoted."""
    import shlex

    return [f"{name}={shlex.quote(value)}" for name, value in server.environment().items()]


@contextlib.contextmanager
def _containers() -> Iterator[list[object]]:
    """pgtdd's containers, with the Docker client open while the caller uses them."""
    from pgtdd.providers.engine import docker_client
    from pgtdd.providers.ownership import OWNER, OWNER_LABEL

    with contextlib.closing(docker_client()) as client:
        yield list(
            client.containers.list(
                all=True, filters={"label": f"{OWNER_LABEL}={OWNER}"}, ignore_removed=True
            )
        )


def _down(args: argparse.Namespace) -> int:
    from docker.errors import NotFound

    from pgtdd.providers.ownership import PROJECT_LABEL, REUSE_LABEL, owner_alive, project_root
    from pgtdd.providers.up import forget

    here = str(project_root())
    removed: set[str] = set()
    with _containers() as containers:
        for container in containers:
            labels = container.labels  # type: ignore[attr-defined]
            ours = args.all or labels.get(PROJECT_LABEL) == here
            orphan = REUSE_LABEL not in labels and not owner_alive(labels)
            if orphan or (ours and (REUSE_LABEL in labels or args.all)):
                try:
                    container.remove(force=True, v=True)  # type: ignore[attr-defined]
                except NotFound:  # removed meanwhile by its own session's watchdog
                    continue
                removed.add(container.id)  # type: ignore[attr-defined]
    forget(removed)  # a later pytest must not look for what `pgtdd up` started
    scope = "every project" if args.all else f"project {here}"
    print(f"removed {len(removed)} container(s) ({scope}, and any whose session is gone)")
    return 0


def _status(args: argparse.Namespace) -> int:
    from pgtdd.providers.ownership import owner_alive

    with _containers() as containers:
        rows = [_status_row(container, owner_alive) for container in containers]
    print("\n".join(rows) if rows else "no pgtdd containers")
    return 0


def _status_row(container: Any, owner_alive: Callable[[dict[str, str]], bool]) -> str:
    from pgtdd.providers.ownership import (
        PID_LABEL,
        PORT_LABEL,
        PROFILE_LABEL,
        PROJECT_LABEL,
        REUSE_LABEL,
    )

    labels = container.labels
    ports = container.attrs["NetworkSettings"]["Ports"] or {}
    bound = ",".join(b["HostPort"] for v in ports.values() if v for b in v)
    bound = bound or labels.get(PORT_LABEL, "-")  # on the host network: no mapping
    kind = "reuse" if REUSE_LABEL in labels else f"pid {labels.get(PID_LABEL, '?')}"
    owner = "" if REUSE_LABEL in labels else (" alive" if owner_alive(labels) else " GONE")
    return (
        f"{container.short_id}  {container.status:<8} {kind}{owner}  "
        f"profile {labels.get(PROFILE_LABEL, '?')}  project {labels.get(PROJECT_LABEL) or '?'}  "
        f"age {_age(container.attrs.get('Created', ''))}  {_masked_url(container, bound)}"
    )


def _age(created: str) -> str:
    """``3m``, ``2h``, ``5d``: how long ago Docker's ``Created`` timestamp was."""
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(created[:26].rstrip("Z") + "+00:00")
    except ValueError:
        return "?"
    seconds = max(0, int((datetime.now(UTC) - when).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _masked_url(container: Any, port: str) -> str:
    """The container's server URL with the password masked (credentials from its
    environment, the first published port)."""
    from pgtdd.serverinfo import ServerInfo

    first = port.split(",")[0]
    if not first.isdigit():
        return "url -"
    items: list[str] = container.attrs["Config"].get("Env") or []
    env = dict(item.split("=", 1) for item in items if "=" in item)
    user = env.get("POSTGRES_USER", "postgres")
    database = env.get("POSTGRES_DB", user)
    password = env.get("POSTGRES_PASSWORD", "")
    return ServerInfo("127.0.0.1", int(first), user, password, database, "container", "").safe_url


def _image_build(args: argparse.Namespace) -> int:
    from pgtdd.providers.image import ImageBuildError, build_image

    try:
        tag = build_image(
            offline=True if args.offline else None,
            version=args.version,
            tag=args.tag,
            progress=print,
        )
    except ImageBuildError as exc:
        print(f"pgtdd image build: {exc}", file=sys.stderr)
        return 1
    print(f"built {tag}")
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand (with only ``command`` among the modules'
    subcommands when it is one of them)."""
    parser = argparse.ArgumentParser(prog="pgtdd", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start a reusable server and print its URL")
    up.add_argument("--profile", help="profile name or YAML path (default as for pytest)")
    up.add_argument("--port", type=int, help="host port (default: the profile's)")
    up.add_argument("--show-password", action="store_true", help="print the URL unmasked")
    up.add_argument(
        "--db-version", metavar="MAJOR", help="PostgreSQL major (15-18; default as for pytest)"
    )
    up.add_argument(
        "--env",
        action="store_true",
        help="print only DATABASE_URL= and PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE= lines "
        "(shell-quoted; this PRINTS THE PASSWORD): for `eval \"$(pgtdd up --env)\"` (after "
        "`set -a` to export them to programs) or a .env file; the server description goes to "
        "stderr",
    )
    up.set_defaults(func=_up)

    down = sub.add_parser(
        "down",
        help="remove this project's reusable containers (and any whose session is gone)",
    )
    down.add_argument(
        "--all",
        action="store_true",
        help="every project's containers, those of live sessions too",
    )
    down.set_defaults(func=_down)

    sub.add_parser(
        "status", help="list pgtdd containers: owner, profile, project, age, URL (masked)"
    ).set_defaults(func=_status)

    image = sub.add_parser("image", help="image commands").add_subparsers(
        dest="image_cmd", required=True
    )
    build = image.add_parser("build", help="build the tuned image pgtdd/postgres:<version>")
    build.add_argument(
        "--offline",
        action="store_true",
        help="build from distribution packages (mmdebstrap), no registry needed",
    )
    build.add_argument(
        "--version", help="PostgreSQL major: 15, 16, 17 or 18 (default 18)", default=None
    )
    build.add_argument("--tag", default=None, help="image tag (default pgtdd/postgres:<version>)")
    build.set_defaults(func=_image_build)

    for name, commands in SUBCOMMANDS.items():
        if command is None or command in commands:
            importlib.import_module(name).add_subcommands(sub)
    return parser


def _module_command(argv: Sequence[str]) -> str | None:
    """The first argument when it is a command a subcommand module adds."""
    first = argv[0] if argv else None
    return first if any(first in commands for commands in SUBCOMMANDS.values()) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pgtdd`` command."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_module_command(arguments)).parse_args(arguments)
    handler: Handler = args.func
    try:
        return handler(args)
    except (ProfileError, RuntimeError, OSError) as exc:
        print(f"pgtdd {args.command}: {redact(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
