"""Judge mutants in several processes at once (``MutationRunner(workers=N)``).

The parent builds the template chain, then starts N workers (``python -m
pgtdd.migrations.mutation.workers``). Each worker has its own copy of the migrations, its own
database name prefix and one pytest session; it checks the baseline, then judges the mutants the
parent hands it one at a time, so a slow mutant never holds up a queue of others. Mutants travel
whole (SQL and all), so a worker never regenerates them. Protocol: one JSON line per message;
the parent writes the configuration then mutants to the worker's stdin (closing it when there is
no more work); the worker answers on a copy of its stdout (its fd 1 goes to stderr, so pytest's
output cannot corrupt the protocol). A worker is sent a mutant only while it waits for one (after
its baseline, then after each verdict), so no write of the parent waits on a busy worker. Each
worker leads a process group of its own: a worker killed for holding a mutant too long, or at
the end of the run, takes what its tests started with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pgtdd.migrations.mutation.catalogue import MutationRegistry
from pgtdd.migrations.mutation.checks import PytestCheck
from pgtdd.migrations.mutation.mutants import Mutant
from pgtdd.migrations.mutation.report import ERROR, MutationResult
from pgtdd.migrations.mutation.session import (
    MutationSession,
    MutationSetupError,
    judge,
    new_result,
    progress_line,
)
from pgtdd.redact import redact
from pgtdd.serverinfo import ServerInfo


def answer_limit(timeout: float) -> float:
    """Seconds a worker may hold one mutant before it is killed: the mutant's own deadline
    (which ends its database sessions) plus a margin for a check stuck outside the database."""
    return timeout * 1.5 + 5.0


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# A worker's start (interpreter, imports, collection) gets this on top of its baseline's limit;
# so does its shutdown (pytest's session end, dropping its databases) once told to stop.
STARTUP_SECONDS = 30.0
# On the way out, a worker told to stop (stdin closed) gets this long before it is killed.
STOP_SECONDS = 2.0


@dataclass
class _Worker:
    """One worker process (leader of its own process group), its mutant, its stderr.

    The process is reaped only by :meth:`reap`, after its group was signalled: while it is
    unreaped its pid cannot be reused, so ``killpg`` never reaches another process group.
    """

    index: int
    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    limit: float
    current: Mutant | None = None
    since: float = field(default_factory=time.monotonic)
    baseline_seconds: float | None = None  # set when the worker's baseline has passed
    stopping: bool = False  # told there is no more work
    done: bool = False  # its output ended
    pending: bytes = b""
    killed: str = ""  # why the parent killed it
    exited_at: float | None = None  # when the process was first seen gone (output still open)

    @property
    def ready(self) -> bool:
        """Baseline passed, not stopping, not killed, output open: it can take a mutant."""
        return (
            self.baseline_seconds is not None
            and not (self.stopping or self.killed or self.done)
            and not self.exited()
        )

    def exited(self) -> bool:
        """The process has ended (checked without reaping it)."""
        if self.proc.returncode is not None:
            return True
        if not hasattr(os, "waitid"):  # e.g. macOS: reaping here only makes signal_group a no-op
            return self.proc.poll() is not None
        try:
            info = os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def send(self, message: dict[str, Any] | None) -> None:
        """Write one message (``None`` closes stdin: no more work).

        Only sent while the worker waits for work, so the write never waits on a busy worker.
        """
        stdin = self.proc.stdin
        if message is None:
            self.stopping, self.since, self.limit = True, time.monotonic(), STARTUP_SECONDS
        if stdin is None or stdin.closed:
            return
        try:
            if message is None:
                stdin.close()
            else:
                stdin.write(json.dumps(message, default=str).encode() + b"\n")  # str: Paths
                stdin.flush()
        except BrokenPipeError:  # the worker died: the end of its stdout says so next
            pass

    def receive(self) -> list[dict[str, Any]] | None:
        """The complete messages now readable (``None`` at the end of the worker's stdout)."""
        assert self.proc.stdout is not None
        chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
        if not chunk:
            return None
        *lines, self.pending = (self.pending + chunk).split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def kill(self, why: str) -> None:
        """Kill the worker and everything it started, saying why."""
        self.killed = self.killed or why
        self.signal_group()

    def signal_group(self) -> None:
        """SIGKILL the worker's process group (before it is reaped; no-op after)."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def reap(self) -> int:
        """Kill what is left of the group, then collect the worker's exit code."""
        self.signal_group()
        return self.proc.wait()

    def close(self) -> None:
        """Reap the worker and close its pipes and log."""
        self.reap()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):  # unflushed bytes to a dead worker
                    stream.close()
        self.log.close()

    def log_tail(self, server: ServerInfo) -> str:
        """The last lines the worker wrote to stderr (password masked)."""
        fd = self.log.fileno()
        text = os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace")  # offset untouched
        tail = " | ".join(text.strip().splitlines()[-5:])
        if not tail:
            return "no output (pytest captured it: workers=1 shows the checks' own errors)"
        return redact(tail, server.password)[-800:]


class WorkerPool:
    """``size`` worker processes for one run, started at once (they import, collect and check
    the baseline while the parent makes the mutants); :meth:`judge` hands the mutants out,
    :meth:`close` stops every worker and what it started.
    """

    def __init__(
        self, session: MutationSession, check: PytestCheck, timeout: float, size: int
    ) -> None:
        self.session, self.timeout = session, timeout
        self.workers: list[_Worker] = []
        try:
            for index in range(size):
                worker = _spawn(index, answer_limit(timeout) + STARTUP_SECONDS)
                self.workers.append(worker)
                worker.send(_config(session, check, timeout, index))
        except BaseException:
            self.close()
            raise

    def judge(self, mutants: list[Mutant], say: Callable[[str], None]) -> list[MutationResult]:
        """Judge ``mutants``; results in mutant order.

        Raises :class:`MutationSetupError` when the checks fail on the unmutated migrations, a
        worker cannot start, or a mutation is not the catalogue's.
        """
        catalogue = MutationRegistry()
        unknown = sorted(
            {m.mutation.id for m in mutants if not catalogue.has_mutation(m.mutation.id)}
        )
        if unknown:
            raise MutationSetupError(
                f"workers > 1 runs mutations of the catalogue only; {unknown} are not in it "
                "(use workers=1 for mutations of your own)"
            )
        run = _Run(self.session, mutants, self.timeout, say)
        run.serve(self.workers)
        self.session.baseline_seconds = max(w.baseline_seconds or 0.0 for w in self.workers)
        return [run.results[m.number] for m in mutants]

    def close(self) -> None:
        """Stop the workers (and what they started); let their last statements finish."""
        _stop(self.workers)
        janitor, prefix = self.session.janitor, self.session.prefix
        if not janitor.wait_quiet(prefix):  # e.g. a killed worker's CREATE DATABASE, still running
            janitor.wait_quiet(prefix, timeout=STARTUP_SECONDS)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class _Run:
    """The parent's side: hand out mutants, collect verdicts, watch the clock."""

    session: MutationSession
    mutants: list[Mutant]
    timeout: float
    say: Callable[[str], None]
    results: dict[int, MutationResult] = field(default_factory=dict)
    queue: list[Mutant] = field(init=False)

    def __post_init__(self) -> None:
        self.queue = list(self.mutants)

    def serve(self, pool: list[_Worker]) -> None:
        """Until every worker has ended: read messages, hand out work, kill the stuck."""
        with selectors.DefaultSelector() as selector:
            for worker in pool:
                assert worker.proc.stdout is not None
                selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
            while any(not w.done for w in pool):
                for key, _ in selector.select(timeout=0.5):
                    worker = key.data
                    messages = worker.receive()
                    if messages is None:
                        selector.unregister(key.fileobj)
                        self._ended(worker)
                        continue
                    for message in messages:
                        self._answer(worker, message)
                self._kill_stuck(pool)
                if self.queue and not any(w.ready or w.baseline_seconds is None for w in pool):
                    self._no_worker_left(pool)

    def _answer(self, worker: _Worker, message: dict[str, Any]) -> None:
        if "setup_error" in message:
            raise MutationSetupError(message["setup_error"])
        if "baseline_seconds" in message:
            worker.baseline_seconds = message["baseline_seconds"]
        else:
            mutant = worker.current
            assert mutant is not None and mutant.number == message["number"]
            self._record(mutant, message["status"], message["detail"], message["duration"])
            worker.current = None
        self._hand_out(worker)

    def _record(self, mutant: Mutant, status: str, detail: str, duration: float = 0.0) -> None:
        """Keep a mutant's result; ``duration`` is the time it held a worker (0: never sent)."""
        result = new_result(mutant, status)
        result.detail, result.duration_seconds = detail, duration
        self.results[mutant.number] = result
        self.say(progress_line(mutant, result, len(self.mutants)))

    def _hand_out(self, worker: _Worker) -> None:
        if not worker.ready:
            return
        worker.current = self.queue.pop(0) if self.queue else None
        if worker.current is None:
            worker.send(None)
            return
        worker.since, worker.limit = time.monotonic(), answer_limit(self.timeout)
        worker.send(_encode(worker.current))

    def _ended(self, worker: _Worker) -> None:
        """The worker closed its stdout: finished, or died (with a mutant in hand, or not)."""
        worker.done = True
        deadline = time.monotonic() + STOP_SECONDS
        while not worker.exited() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not worker.exited():
            worker.kill("it closed its output but did not exit")
        code = worker.reap()  # also ends what it started and left running
        server = self.session.server
        if worker.baseline_seconds is None:  # it never got as far as judging
            raise MutationSetupError(
                f"mutation worker {worker.index} ended (exit code {code}) before its baseline "
                f"passed{': ' + worker.killed if worker.killed else ''}: {worker.log_tail(server)}"
            )
        if worker.current is not None:
            mutant, worker.current = worker.current, None
            detail = worker.killed or (
                f"worker {worker.index} exited with code {code} while judging this mutant: "
                + worker.log_tail(server)
            )
            self._record(mutant, ERROR, detail, time.monotonic() - worker.since)

    def _kill_stuck(self, pool: list[_Worker]) -> None:
        now = time.monotonic()
        for worker in pool:
            if worker.done:
                continue
            if worker.exited():
                worker.exited_at = worker.exited_at or now
                if now - worker.exited_at > STOP_SECONDS:  # something it started holds stdout
                    worker.kill("it exited, but a process it started kept its output open")
            phase = _phase(worker)
            if phase and now - worker.since > worker.limit:
                worker.kill(
                    f"no verdict within {worker.limit:g}s ({phase}): "
                    f"worker {worker.index} was killed"
                )  # its stdout closes, and _ended reports it

    def _no_worker_left(self, pool: list[_Worker]) -> None:
        server = self.session.server
        tails = "; ".join(f"worker {w.index}: {w.log_tail(server)}" for w in pool)
        while self.queue:
            self._record(
                self.queue.pop(0), ERROR, f"not judged: every worker process ended ({tails})"
            )


def _phase(worker: _Worker) -> str:
    """What a worker is doing that its clock limits ("" when it waits on the parent)."""
    if worker.current is not None:
        return "this mutant"
    if worker.stopping:
        return "stopping"
    return "start and baseline" if worker.baseline_seconds is None else ""


def _spawn(index: int, limit: float) -> _Worker:
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    log = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed by _Worker.close
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pgtdd.migrations.mutation.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            start_new_session=True,  # its own process group: killing it kills what it started
        )
    except BaseException:
        log.close()
        raise
    return _Worker(index, proc, log, limit)


def _config(
    session: MutationSession, check: PytestCheck, timeout: float, index: int
) -> dict[str, Any]:
    return {
        "server": dataclasses.asdict(session.server),
        "migrations_dir": str(session.workdir),
        # fixed width: no worker's prefix is the start of another's (w001 and w010, not w1)
        "prefix": f"{session.prefix}_w{index:03d}",
        "tmp": str(session.workdir),
        "timeout": timeout,
        "parent": os.getpid(),
        "check": {**dataclasses.asdict(check), "last_output": ""},
    }


def _stop(pool: list[_Worker]) -> None:
    """Tell every worker to stop (stdin closed), give them a moment, then kill what is left
    (killing comes first in ``finally``, so a second interrupt cannot skip it)."""
    try:
        for worker in pool:
            worker.send(None)
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline and not all(w.exited() for w in pool):
            time.sleep(0.02)
    finally:
        for worker in pool:
            worker.signal_group()
        for worker in pool:
            worker.close()


def _encode(mutant: Mutant) -> dict[str, Any]:
    return {
        "number": mutant.number,
        "mutation": mutant.mutation.id,
        "migration": mutant.migration.label,
        "direction": mutant.direction,
        "site": mutant.site,
        "sql": mutant.sql,
        "original": mutant.original,
        "also": mutant.also_generated_by,
    }


# --- the worker process ------------------------------------------------------------------


@dataclass
class _Inbox:
    """Mutants read from stdin, rebuilt against the worker's own copy of the migrations."""

    stream: IO[str]
    migrations: dict[str, Any]
    catalogue: MutationRegistry = field(default_factory=MutationRegistry)

    def __iter__(self) -> Iterator[Mutant]:
        for line in self.stream:
            data = json.loads(line)
            mutation = self.catalogue.get_mutation_by_id(data["mutation"])
            assert mutation is not None
            yield Mutant(
                data["number"], mutation, self.migrations[data["migration"]], data["direction"],
                data["site"], data["sql"], data["original"], list(data["also"]),
            )  # fmt: skip


def worker_main() -> int:
    """Judge the mutants the parent sends; see the module docstring for the protocol."""
    # Private copies of stdin and stdout: pytest replaces sys.stdin and captures fds 0-2 while
    # tests run, and whatever the tests print must not corrupt the protocol.
    inbox_stream = os.fdopen(os.dup(0), "r", encoding="utf-8")
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)  # what the tests start must not hold the protocol's pipe open
    os.close(null)
    with inbox_stream, out:
        return _serve(inbox_stream, out)


def _die_with_parent(parent: int) -> None:
    """If the parent dies (SIGKILL, a CI job's SIGTERM: neither reaches this process group),
    take this worker's whole group down too (Linux ``PR_SET_PDEATHSIG``; elsewhere the worker
    ends at the end of its current mutant, when stdin closes)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the line above
        os.killpg(0, signal.SIGKILL)


def _serve(inbox_stream: IO[str], out: IO[str]) -> int:
    def answer(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    config = json.loads(inbox_stream.readline())
    _die_with_parent(config["parent"])
    data = config["server"]
    server = ServerInfo(**{**data, "notes": tuple(data["notes"])})
    check = PytestCheck(**config["check"])
    session = MutationSession(
        server, Path(config["migrations_dir"]), prefix=config["prefix"], tmp=config["tmp"]
    )
    try:
        inbox = _Inbox(inbox_stream, {m.label: m for m in session.migrations})

        def mutants() -> Iterator[Mutant]:  # iterated once the baseline has passed
            answer({"baseline_seconds": session.baseline_seconds})
            yield from inbox

        def on_result(mutant: Mutant, result: MutationResult) -> None:
            answer(
                {
                    "number": mutant.number,
                    "status": result.status,
                    "detail": result.detail,
                    "duration": result.duration_seconds,
                }
            )

        try:
            judge(session.drive(mutants(), config["timeout"], on_result), check, server)
        except MutationSetupError as exc:
            answer({"setup_error": str(exc)})
            return 1
    finally:
        session.close(keep_templates=True)
    return 0


if __name__ == "__main__":
    sys.exit(worker_main())
