"""The description of a running PostgreSQL server that every layer above provisioning uses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote

from pgtdd.redact import mask_url


@dataclass(frozen=True)
class ServerInfo:
    """A running server, as returned by a provider and exposed by the ``pgtdd_server`` fixture.

    ``url`` carries the password (it is what clients connect with); ``repr`` and ``safe_url``
    never show it.
    """

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    database: str
    provider: str
    profile: str
    version: str = ""
    settings: dict[str, str] = field(default_factory=dict)
    image: str | None = None
    container_id: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """Connection URL with credentials, for asyncpg and psycopg."""
        return self.url_for(self.database)

    @property
    def safe_url(self) -> str:
        """Connection URL with the password masked, for display."""
        return mask_url(self.url)

    def url_for(self, database: str) -> str:
        """Connection URL of another database on the same server."""
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"postgresql://{auth}@{self.host}:{self.port}/{quote(database, safe='')}"

    def with_database(self, database: str) -> ServerInfo:
        """The same server seen through another database."""
        return replace(self, database=database)

    def __str__(self) -> str:
        return self.safe_url
