"""The server outside pytest: scripts, notebooks, ``unittest`` suites, an app under test.

::

    import pgtdd

    with pgtdd.server(profile="container", version=18) as srv:
        print(srv.url)          # postgresql://...: the same tuned server pytest would start

Settings resolve as for pytest (arguments here take the place of the ``--db-*`` options, then
``PGTDD_*`` variables, then the profile), the test-database guard applies, and the server is
stopped when the block ends, also on an exception. A container belongs to this process: if the
process is killed, pgtdd's watchdog removes it (a ``reuse`` container is kept for the next
start, as with pytest).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pgtdd.serverinfo import ServerInfo


@contextlib.contextmanager
def server(
    profile: str | None = None,
    version: int | str | None = None,
    *,
    port: int | None = None,
    image: str | None = None,
    reuse: bool | None = None,
) -> Iterator[ServerInfo]:
    """Start the profile's server (``profile``: a name or a YAML path; ``version``: the
    PostgreSQL major), yield its :class:`ServerInfo` (``url``, ``host``, ``port``...), stop it
    at the end of the block."""
    from pgtdd.config.settings import activated, resolve_settings
    from pgtdd.session import start_server

    settings = resolve_settings(
        cli_profile=profile,
        cli_version=None if version is None else str(version),
        cli_port=port,
        cli_image=image,
        cli_reuse=reuse,
    )
    with activated(settings):  # the guard and the pools judge URLs by these settings
        provider, info = start_server(settings)
        try:
            yield info
        finally:
            provider.stop()
