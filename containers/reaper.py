"""A detached watchdog that removes a session's container when the pytest process dies.

Started by the container provider when Ryuk is not available; survives ``kill -9`` of pytest
because it runs in its own session.
Usage: ``python -m pgtdd.providers.reaper PID STARTED CONTAINER``.

Its stdin is a pipe from the owner: end of file (the owner closed it, or exited, however it
exited) means "remove it now". So the session's end need not wait for the removal: the owner
closes the pipe and exits, and the container is gone a moment later. Owner death is also
checked every ``POLL_SECONDS`` in case a child process of the owner inherited the pipe.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import time

import psutil

POLL_SECONDS = 0.5


class Watchdog:
    """The running watchdog: its pid and the write end of its stdin pipe.

    Spawned with ``os.posix_spawn`` rather than ``subprocess.Popen``: it is meant to outlive
    the session's bookkeeping (after :meth:`release` nobody waits for it), and a ``Popen``
    still running at interpreter exit prints a ``ResourceWarning`` at the end of every run.
    """

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self._pipe: int | None = pipe
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit status once it has ended (reaping it), else ``None``."""
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    return None
                self.returncode = os.waitstatus_to_exitcode(status)
            if self.returncode is None:  # reaped elsewhere
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        """Wait up to ``timeout`` seconds for it to end; its exit status, or ``None``."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.returncode

    def release(self) -> None:
        """End of file on its stdin: it removes the container now, on its own."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def terminate(self, timeout: float = 5.0) -> None:
        """Stop it without removing anything (the owner removed the container itself)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self.wait(timeout)
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def kill(self) -> None:
        """SIGKILL (for tests of a watchdog that died)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


def spawn(pid: int, started: str, container_id: str) -> Watchdog:
    """Start the watchdog for ``container_id``, owned by process ``pid``, in a session of its
    own (so a signal to pytest's process group does not reach it)."""
    read_end, write_end = os.pipe()
    os.set_inheritable(read_end, False)
    null = os.open(os.devnull, os.O_RDWR)
    try:
        child = os.posix_spawn(
            sys.executable,
            [sys.executable, "-m", "pgtdd.providers.reaper", str(pid), started, container_id],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, read_end, 0),
                (os.POSIX_SPAWN_DUP2, null, 1),
                (os.POSIX_SPAWN_DUP2, null, 2),
            ],
            setsid=True,
        )
    finally:
        os.close(read_end)
        os.close(null)
    os.set_inheritable(write_end, False)
    return Watchdog(child, write_end)


def _alive(pid: int, started: str) -> bool:
    try:
        return f"{psutil.Process(pid).create_time():.2f}" == started
    except psutil.Error:
        return False


def main(argv: list[str]) -> int:
    """Wait for the owner to die, then remove the container."""
    pid, started, container_id = int(argv[0]), argv[1], argv[2]
    # Never compete with the session for the CPU (it starts while the session is starting).
    with contextlib.suppress(OSError):
        os.nice(10)
    while _alive(pid, started):
        readable, _, _ = select.select([sys.stdin], [], [], POLL_SECONDS)
        if readable and not os.read(sys.stdin.fileno(), 1):
            break  # end of file: the owner released the container or is gone
    import docker  # only now: importing it at start would slow the session's start
    from docker.errors import DockerException, NotFound

    try:
        with contextlib.closing(docker.from_env(timeout=30)) as client:
            client.containers.get(container_id).remove(force=True, v=True)
    except NotFound:  # gone already
        return 0
    except DockerException:  # no engine left to ask: the next session's sweep removes it
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
