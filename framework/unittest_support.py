"""pgtdd for ``unittest`` suites: one server per test class, from the same profiles.

::

    import unittest
    import psycopg
    from pgtdd.unittest_support import ServerTestCase

    class UserTests(ServerTestCase):
        server_profile = "container"   # default: as for pytest (PGTDD_PROFILE, CI, ...)
        server_version = 18            # default: the profile's

        def test_select(self):
            with psycopg.connect(self.server.url) as conn:
                self.assertEqual(conn.execute("SELECT 1").fetchone(), (1,))

The server starts in ``setUpClass`` and stops in ``tearDownClass`` (a class that overrides
them calls ``super()``). :func:`module_server` does the same for a whole module through
``setUpModule``/``tearDownModule``.
"""

from __future__ import annotations

import contextlib
import unittest
from typing import Any, ClassVar

from pgtdd.serverinfo import ServerInfo
from pgtdd.standalone import server as start


class ServerTestCase(unittest.TestCase):
    """A ``TestCase`` whose class has a running server: ``cls.server`` (a ServerInfo)."""

    server_profile: ClassVar[str | None] = None
    server_version: ClassVar[int | str | None] = None
    server: ClassVar[ServerInfo]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        stack = contextlib.ExitStack()
        cls.addClassCleanup(stack.close)  # also when a later setUpClass step fails
        cls.server = stack.enter_context(start(cls.server_profile, cls.server_version))


class ModuleServer:
    """The server of a test module: ``start()`` in ``setUpModule``, ``stop()`` in
    ``tearDownModule``; ``server`` while it runs."""

    def __init__(self, profile: str | None = None, version: int | str | None = None) -> None:
        self.profile, self.version = profile, version
        self._stack = contextlib.ExitStack()
        self.server: ServerInfo | None = None

    def start(self) -> ServerInfo:
        """Start the server (once)."""
        if self.server is None:
            self.server = self._stack.enter_context(start(self.profile, self.version))
        return self.server

    def stop(self) -> None:
        """Stop the server."""
        self.server = None
        self._stack.close()


def module_server(profile: str | None = None, version: int | str | None = None) -> Any:
    """A :class:`ModuleServer`: ``srv = module_server()``, then ``setUpModule = srv.start`` and
    ``tearDownModule = srv.stop``."""
    return ModuleServer(profile, version)
