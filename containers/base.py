"""One interface for every provider: ``start() -> ServerInfo`` and ``stop()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from pgtdd.config.profile import Profile
from pgtdd.serverinfo import ServerInfo

if TYPE_CHECKING:
    import psycopg


class Provider(Protocol):
    """Provisions a PostgreSQL server for a session."""

    name: str

    def start(self) -> ServerInfo:
        """Start (or find) the server and return it once it answers queries."""
        ...

    def find_running(self) -> ServerInfo | None:
        """The server :meth:`start` would reuse, when one runs and is right for the profile,
        found without starting anything or waiting (``None``: only :meth:`start` can say)."""
        ...

    def take_connection(self) -> psycopg.Connection[tuple[Any, ...]] | None:
        """The open autocommit connection to the server's database that checked it during
        the start, handed over once (the caller closes it), or ``None``: a new connection
        costs ~4 ms with SCRAM, a tenth of a one-test run's overhead."""
        ...

    def stop(self) -> None:
        """Release what :meth:`start` created; safe to call more than once."""
        ...

    def release(self) -> None:
        """:meth:`stop`, allowed to finish after returning (at the end of a session)."""
        ...


def make_provider(profile: Profile) -> Provider:
    """The provider a profile names."""
    if profile.provider == "container":
        if profile.reuse:
            from pgtdd.providers.reuse import ReuseFirstProvider

            return ReuseFirstProvider(profile, full_path=_container_provider)
        return _container_provider(profile)
    if profile.provider == "external":
        from pgtdd.providers.external import ExternalProvider

        return ExternalProvider(profile)
    from pgtdd.providers.native import NativeProvider

    return NativeProvider(profile)


def _container_provider(profile: Profile) -> Provider:
    from pgtdd.providers.container import ContainerProvider

    return ContainerProvider(profile)
