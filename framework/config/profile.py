"""YAML profiles: loading, ``extends:`` inheritance, ``${VAR}`` interpolation, strict validation.

Every error is a :class:`ProfileError` whose message names the file, the line where there is
one, and the valid choices.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pgtdd.profiles as _builtin_profiles
from pgtdd.config import rules
from pgtdd.config.profile_yaml import Node, compose_file, node_value
from pgtdd.config.profile_yaml import ProfileError as ProfileError  # its home before the split
from pgtdd.config.versions import VersionError, expand_image, parse_version, settings_for

PROFILE_DIR = Path(_builtin_profiles.__file__).resolve().parent
PROVIDERS = ("container", "external", "native")
# pgtdd.migrations.layouts.LAYOUT_NAMES (not imported: loading a profile stays cheap)
MIGRATION_LAYOUTS = ("golang-migrate", "diesel", "dbmate", "goose", "flyway", "pgtdd")
NETWORKS = ("auto", "bridge", "host")
ON_SERVER_LOSS = ("fail", "restart")
# Docker's tmpfs size syntax: bytes, or a number with k, m or g; 0 means no limit.
_SIZE = re.compile(r"^(?P<number>\d+)(?P<unit>[kmg]?)b?$", re.IGNORECASE)


@dataclass(frozen=True)
class PoolSettings:
    """The session's TDD pool: connections opened (and warmed) at start, the most it opens,
    seconds a test waits for a free one, and the most connections a run (every xdist worker's
    pool plus pgtdd's own) may hold on the server (0: only the server's ``max_connections``)."""

    min_size: int = 2
    max_size: int = 5
    acquire_timeout: float = 5.0
    max_connections: int = 0


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for the whole start, one connection attempt, one statement."""

    startup: float = 60.0
    connect: float = 2.0
    statement: float = 30.0


@dataclass(frozen=True)
class RetryPolicy:
    """How readiness polling retries transient faults: overall deadline and back-off bounds."""

    deadline: float = 30.0
    initial_wait: float = 0.02
    max_wait: float = 0.25


@dataclass(frozen=True)
class MigrationVerify:
    """``pgtdd migrate verify``'s ignore rules (see ``pgtdd.migrations.verify_report``)."""

    ignore_kinds: tuple[str, ...] = ()
    ignore_names: tuple[str, ...] = ()
    irreversible: tuple[str, ...] = ()
    on_error: str = "continue"


@dataclass(frozen=True)
class Profile:
    """A validated profile. ``sources`` maps each key to the place its value came from."""

    name: str
    path: Path
    provider: str
    description: str = ""
    image: tuple[str, ...] = ()
    host_port: int = 5433
    user: str = "dataflow_test"
    password: str = field(default="dataflow_test_password", repr=False)
    database: str = "dataflow_test"
    url: str | None = field(default=None, repr=False)
    tmpfs: bool = True
    tmpfs_size: str = "2g"
    network: str = "auto"
    on_server_loss: str = "fail"
    server_settings: Mapping[str, str] = field(default_factory=dict)
    pool: PoolSettings = PoolSettings()
    timeouts: Timeouts = Timeouts()
    retry: RetryPolicy = RetryPolicy()
    migration_verify: MigrationVerify = MigrationVerify()
    reuse: bool = False
    test_database: bool = False
    accept_marked: bool = False  # trust the url's server once seen marked (pgtdd.test_server)
    export_env: bool = False  # DATABASE_URL and PG* of the session's database, for code under test
    schema: tuple[str, ...] = ()
    pg_bin: str | None = None
    # The PostgreSQL major asked for (None: any). ``image`` and ``server_settings`` are for
    # this major: the images as written (``{version}`` in ``image_templates``) expanded, and
    # the settings it lacks moved to ``settings_left_out`` (name -> why).
    version: int | None = None
    image_templates: tuple[str, ...] = ()
    settings_asked: Mapping[str, str] = field(default_factory=dict, compare=False)
    settings_left_out: Mapping[str, str] = field(default_factory=dict)
    migrations_layout: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def source_of(self, key: str) -> str:
        """Where ``key`` (``"host_port"``, ``"timeouts.statement"``...) got its value:
        ``profiles/ci.yaml:9``, ``env DATAFLOW_TDD_TIMEOUT``, ``--db-port``, or ``default``."""
        return self.sources.get(key, "default")

    def for_version(
        self, version: int | None, source: str | None = None, *, strict: bool = True
    ) -> Profile:
        """This profile for another major: images expanded and settings checked again for it;
        ``source`` (``--db-version``, ``env PGTDD_PG_VERSION``...) is recorded for ``version``.
        ``strict=False`` leaves a ``{version}`` image as it is when there is no version yet."""
        where = self.source_of("image")
        try:
            images = tuple(
                t if version is None and not strict else expand_image(t, version, where)
                for t in self.image_templates
            )
        except VersionError as exc:
            raise ProfileError(str(exc)) from None
        asked = self.settings_asked or self.server_settings
        kept, left_out = settings_for(asked, version)
        sources = dict(self.sources)
        if source is not None:
            sources["version"] = source
        return dataclasses.replace(
            self,
            version=version,
            image=images,
            server_settings=kept,
            settings_asked=dict(asked),
            settings_left_out=left_out,
            sources=sources,
        )


_NESTED: dict[
    str, type[PoolSettings] | type[Timeouts] | type[RetryPolicy] | type[MigrationVerify]
] = {
    "pool": PoolSettings,
    "timeouts": Timeouts,
    "retry": RetryPolicy,
    "migration_verify": MigrationVerify,
}
ON_ERROR = ("continue", "stop")
# key -> accepted Python types after YAML parsing; nested sections are checked field by field.
_SCALARS: dict[str, tuple[type, ...]] = {
    "provider": (str,),
    "description": (str,),
    "image": (str, list),
    "host_port": (int,),
    "user": (str,),
    "password": (str,),
    "database": (str,),
    "url": (str,),
    "tmpfs": (bool,),
    "tmpfs_size": (str, int),
    "network": (str,),
    "on_server_loss": (str,),
    "server_settings": (dict,),
    "reuse": (bool,),
    "test_database": (bool,),
    "accept_marked": (bool,),
    "export_env": (bool,),
    "schema": (str, list),
    "pg_bin": (str,),
    "version": (int, str),
    "migrations_layout": (str,),
    "extends": (str,),
}
VALID_KEYS = tuple(sorted({*_SCALARS, *_NESTED}))


def profile_keys() -> tuple[str, ...]:
    """Every key a profile accepts, nested ones as ``section.key`` (``pool.min_size``)."""
    nested = {
        f"{section}.{item.name}"
        for section, kind in _NESTED.items()
        for item in dataclasses.fields(kind)
    }
    return tuple(sorted({*_SCALARS, *nested}))


def builtin_profiles() -> list[str]:
    """Names of the profiles shipped in ``profiles/``."""
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def profile_path(name_or_path: str, *, relative_to: Path | None = None) -> Path:
    """Resolve a profile name (``ci``) or a file path (``./my.yaml``) to an existing file."""
    looks_like_path = name_or_path.endswith((".yaml", ".yml")) or os.sep in name_or_path
    if looks_like_path:
        path = Path(name_or_path).expanduser()
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        if not path.is_file():
            raise ProfileError(
                f"profile file not found: {path}. Pass an existing YAML file or one of the "
                f"built-in profiles: {', '.join(builtin_profiles())}"
            )
        return path.resolve()
    path = PROFILE_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ProfileError(
            f"unknown profile {name_or_path!r}; valid profiles: {', '.join(builtin_profiles())} "
            "(or a path to a .yaml file)"
        )
    return path


def load_profile(name_or_path: str, environ: Mapping[str, str] | None = None) -> Profile:
    """Load, merge (``extends:``), interpolate and validate a profile."""
    env = os.environ if environ is None else environ
    path = profile_path(name_or_path)
    values, sources = _load_merged(path, env, chain=())
    return _build(path, values, sources)


def _load_merged(
    path: Path, env: Mapping[str, str], chain: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[str, str]]:
    if path in chain:
        cycle = " -> ".join(str(p.name) for p in (*chain, path))
        raise ProfileError(f"{path}: 'extends' forms a cycle: {cycle}")
    values, lines = _read(path, env)
    where = {key: f"{_display(path)}:{line}" for key, line in lines.items()}
    parent = values.pop("extends", None)
    where.pop("extends", None)
    if parent is None:
        return values, where
    try:
        parent_path = profile_path(parent, relative_to=path.parent)
    except ProfileError as exc:
        raise ProfileError(f"{_display(path)}:{lines['extends']}: extends: {exc}") from None
    base, base_where = _load_merged(parent_path, env, (*chain, path))
    return _merge(base, values), {**base_where, **where}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(path: Path, env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse one file, interpolate, validate its keys and types; return values and key lines."""
    node = compose_file(path, _display(path))
    if node is None:
        return {}, {}
    if node.kind != "mapping":
        raise ProfileError(f"{_display(path)}:{node.line}: a profile is a mapping")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.pairs:
        key = key_node.text
        line = key_node.line
        at = f"{_display(path)}:{line}"
        if key not in VALID_KEYS:
            raise ProfileError(f"{at}: unknown key {key!r}; valid keys: {', '.join(VALID_KEYS)}")
        value = node_value(value_node, env, at)
        if key in _NESTED:
            value = _check_section(key, value, value_node, path, lines)
        else:
            _check_type(key, value, _SCALARS[key], at)
        values[key] = value
        lines[key] = line
    return values, lines


def _check_type(key: str, value: Any, types: tuple[type, ...], at: str) -> None:
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = " or ".join("list" if t is list else t.__name__ for t in types)
        raise ProfileError(f"{at}: {key} must be {names}, got {type(value).__name__} {value!r}")


def _check_section(
    key: str, value: Any, node: Node, path: Path, lines: dict[str, int]
) -> dict[str, Any]:
    """Validate a nested section (``pool``, ``timeouts``, ``retry``); record each sub-key's
    line as ``section.key`` in ``lines``."""
    at = f"{_display(path)}:{node.line}"
    if not isinstance(value, dict):
        raise ProfileError(f"{at}: {key} must be a mapping, got {type(value).__name__}")
    fields = {f.name: f for f in dataclasses.fields(_NESTED[key])}
    assert node.kind == "mapping"
    for sub_key_node, _ in node.pairs:
        sub = sub_key_node.text
        sub_at = f"{_display(path)}:{sub_key_node.line}"
        if sub not in fields:
            raise ProfileError(
                f"{sub_at}: unknown key {key}.{sub}; valid keys: {', '.join(sorted(fields))}"
            )
        _check_type(f"{key}.{sub}", value[sub], _FIELD_TYPES[str(fields[sub].type)], sub_at)
        if str(fields[sub].type) == "tuple[str, ...]":
            items = value[sub] if isinstance(value[sub], list) else [value[sub]]
            for item in items:
                _check_type(f"{key}.{sub} item", item, (str, int), sub_at)
            value[sub] = tuple(str(item) for item in items)
        lines[f"{key}.{sub}"] = sub_key_node.line
    if key == "migration_verify" and value.get("on_error", "continue") not in ON_ERROR:
        raise ProfileError(
            f"{at}: migration_verify.on_error must be one of {', '.join(ON_ERROR)}, "
            f"got {value['on_error']!r}"
        )
    return value


# A nested field's annotation (a string: annotations are postponed) -> accepted YAML types.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "tuple[str, ...]": (str, list),
}


def _build(path: Path, values: dict[str, Any], sources: dict[str, str]) -> Profile:
    at = sources.get("provider", _display(path))
    provider = values.get("provider")
    if provider not in PROVIDERS:
        raise ProfileError(
            f"{at}: provider must be one of {', '.join(PROVIDERS)}"
            + (f", got {provider!r}" if provider is not None else " (missing)")
        )
    settings = values.get("server_settings", {})
    for name, setting in settings.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_.]*", name):
            raise ProfileError(f"{sources['server_settings']}: invalid setting name {name!r}")
        _check_type(
            f"server_settings.{name}", setting, (str, int, float, bool), sources["server_settings"]
        )
    network = values.get("network", "auto")
    if network not in NETWORKS:
        where = sources.get("network", _display(path))
        raise ProfileError(
            f"{where}: network must be one of {', '.join(NETWORKS)}, got {network!r}"
        )
    on_loss = values.get("on_server_loss", "fail")
    if on_loss not in ON_SERVER_LOSS:
        where = sources.get("on_server_loss", _display(path))
        raise ProfileError(
            f"{where}: on_server_loss must be one of {', '.join(ON_SERVER_LOSS)}, got {on_loss!r}"
        )
    tmpfs_size = str(values.get("tmpfs_size", "2g")).strip()
    if not _SIZE.match(tmpfs_size):
        where = sources.get("tmpfs_size", _display(path))
        raise ProfileError(
            f"{where}: tmpfs_size must be a size like 512m, 2g or 1073741824 (bytes), "
            f"or 0 for no limit; got {tmpfs_size!r}"
        )
    if provider == "container" and values.get("tmpfs", True) and "max_wal_size" in settings:
        _check_wal_room(tmpfs_size, settings, sources, path)
    layout = values.get("migrations_layout")
    if layout is not None and layout not in MIGRATION_LAYOUTS:
        raise ProfileError(
            f"{sources['migrations_layout']}: migrations_layout must be one of "
            f"{', '.join(MIGRATION_LAYOUTS)}, got {layout!r}"
        )
    if values.get("provider") == "container" and not values.get("image"):
        raise ProfileError(f"{at}: a container profile needs 'image' (a name or a list)")
    problem = rules.check(
        provider,
        values,
        sources,
        own=f"{_display(path)}:",
        pool={**dataclasses.asdict(PoolSettings()), **values.get("pool", {})},
        retry={**dataclasses.asdict(RetryPolicy()), **values.get("retry", {})},
        fallback=_display(path),
    )
    if problem is not None:
        raise ProfileError(problem)
    version = None
    if values.get("version") not in (None, ""):
        try:
            version = parse_version(values["version"], sources["version"])
        except VersionError as exc:
            raise ProfileError(str(exc)) from None
    profile = Profile(
        name=path.stem,
        path=path,
        provider=provider,
        description=values.get("description", ""),
        image_templates=tuple(_as_list(values.get("image", []))),
        host_port=values.get("host_port", 5433),
        user=values.get("user", "dataflow_test"),
        password=str(values.get("password", "dataflow_test_password")),
        database=values.get("database", "dataflow_test"),
        url=values.get("url"),
        tmpfs=values.get("tmpfs", True),
        tmpfs_size=tmpfs_size.lower().removesuffix("b"),
        network=network,
        on_server_loss=on_loss,
        server_settings={k: _setting_text(v) for k, v in settings.items()},
        pool=PoolSettings(**values.get("pool", {})),
        timeouts=Timeouts(**values.get("timeouts", {})),
        retry=RetryPolicy(**values.get("retry", {})),
        migration_verify=MigrationVerify(**values.get("migration_verify", {})),
        reuse=values.get("reuse", False),
        test_database=values.get("test_database", False),
        accept_marked=values.get("accept_marked", False),
        export_env=values.get("export_env", False),
        schema=tuple(_as_list(values.get("schema", []))),
        pg_bin=values.get("pg_bin") or None,
        migrations_layout=layout,
        sources=sources,
    )
    # Strict once the session's version is known (resolve_settings): it may come from elsewhere.
    return profile.for_version(version, strict=False)


_PG_UNITS = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}


def _check_wal_room(
    tmpfs_size: str, settings: Mapping[str, Any], sources: Mapping[str, str], path: Path
) -> None:
    """The WAL needs room the data may not take: PostgreSQL stops with PANIC (the server is
    lost) when it cannot write WAL, but only fails the statement when a data file cannot grow.
    So a bounded tmpfs must hold max_wal_size at least four times (WAL peaks near 3x)."""
    limit = size_bytes(tmpfs_size)
    wal = str(settings["max_wal_size"]).strip()
    match = re.fullmatch(r"(\d+)\s*(kb|mb|gb|tb)?", wal.lower())
    if not limit or match is None:
        return
    wal_bytes = int(match[1]) * _PG_UNITS[match[2] or "mb"]  # a bare number is in MB
    if limit < 4 * wal_bytes:
        where = sources.get("tmpfs_size", _display(path))
        raise ProfileError(
            f"{where}: tmpfs_size {tmpfs_size} leaves too little room for the WAL: it must be "
            f"at least 4 x server_settings.max_wal_size ({wal}), or the server stops with "
            "PANIC instead of failing the statement when the tmpfs fills. Raise tmpfs_size or "
            "lower max_wal_size."
        )


def size_bytes(size: str) -> int:
    """Bytes of a ``tmpfs_size`` value (``512m``, ``2g``, ``1073741824``; 0: no limit)."""
    match = _SIZE.match(size.strip())
    if match is None:
        raise ProfileError(f"not a size: {size!r} (use 512m, 2g or a number of bytes)")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match["unit"].lower()]
    return int(match["number"]) * factor


def _as_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item not in (None, "")]


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
