"""A detached watchdog that removes a session's container when the pytest process dies.

Started by the container provider when Ryuk is not available; survives ``kill -9`` of pytest
because it runs in its own session. Usage: ``python -m containers.reaper PID STARTED CONTAINER``.

Its stdin is a pipe from the owner: end of file (the owner closed it, or exited, however it
exited) means "remove it now". So the session's end need not wait for the removal: the owner
closes the pipe and exits, and the container is gone a moment later. Owner death is also
checked every ``POLL_SECONDS`` in case a child process of the owner inherited the pipe.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys

import psutil

POLL_SECONDS = 0.5


def spawn(pid: int, started: str, container_id: str) -> subprocess.Popen[bytes]:
    """Start the watchdog for ``container_id``, owned by process ``pid``."""
    return subprocess.Popen(
        [sys.executable, "-m", "containers.reaper", str(pid), started, container_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


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
        docker.from_env(timeout=30).containers.get(container_id).remove(force=True, v=True)
    except NotFound:  # gone already
        return 0
    except DockerException:  # no engine left to ask: the next session's sweep removes it
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
