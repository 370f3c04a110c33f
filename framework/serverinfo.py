"""The description of a running PostgreSQL server that every layer above provisioning uses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote, unquote, urlsplit

from pgtdd.redact import mask_url

# The server the `local` profile expects when neither TEST_DATABASE_URL nor `url:` names one.
DEFAULT_URL = "postgresql://dataflow_test:dataflow_test_password@localhost:5433/dataflow_test"


class ServerURLError(ValueError):
    """A URL that is not ``postgresql://user:password@host:port/database``."""


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
    version_num: int = 0  # the server's own server_version_num (0: not read)

    @property
    def major(self) -> int | None:
        """The server's major version (``server_version_num // 10000``), None if not read."""
        return self.version_num // 10000 if self.version_num else None

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

    def environment(self) -> dict[str, str]:
        """``DATABASE_URL`` and libpq's ``PG*`` variables for this server (password included:
        for code under test and ``pgtdd up --env``, never for display)."""
        return {
            "DATABASE_URL": self.url,
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.database,
        }

    def with_database(self, database: str) -> ServerInfo:
        """The same server seen through another database."""
        return replace(self, database=database)

    def __str__(self) -> str:
        return self.safe_url


def parse_url(url: str, *, profile: str = "external") -> ServerInfo:
    """The (not provisioned) server a ``postgresql://`` URL points at.

    Missing parts take libpq's defaults: port 5432, user ``postgres``, database = the user.
    Raises :class:`ServerURLError` naming the expected form (the password is never shown).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise ServerURLError(
            f"not a PostgreSQL URL: {parts.scheme}://{parts.hostname or ''}... ; expected "
            "postgresql://user:password@host:port/database"
        )
    user = unquote(parts.username or "postgres")
    return ServerInfo(
        host=parts.hostname,
        port=parts.port or 5432,
        user=user,
        password=unquote(parts.password or ""),
        database=unquote(parts.path.lstrip("/")) or user,
        provider="external",
        profile=profile,
    )
