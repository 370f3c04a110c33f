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

import yaml

import pgtdd.profiles as _builtin_profiles

PROFILE_DIR = Path(_builtin_profiles.__file__).resolve().parent
PROVIDERS = ("container", "external", "native")
NETWORKS = ("auto", "bridge", "host")

_VAR = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


class ProfileError(ValueError):
    """A profile could not be found, parsed or validated."""


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
    network: str = "auto"
    server_settings: Mapping[str, str] = field(default_factory=dict)
    pool: PoolSettings = PoolSettings()
    timeouts: Timeouts = Timeouts()
    retry: RetryPolicy = RetryPolicy()
    reuse: bool = False
    test_database: bool = False
    schema: tuple[str, ...] = ()
    pg_bin: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def source_of(self, key: str) -> str:
        """Where ``key`` (``"host_port"``, ``"timeouts.statement"``...) got its value:
        ``profiles/ci.yaml:9``, ``env DATAFLOW_TDD_TIMEOUT``, ``--db-port``, or ``default``."""
        return self.sources.get(key, "default")


_NESTED: dict[str, type[PoolSettings] | type[Timeouts] | type[RetryPolicy]] = {
    "pool": PoolSettings,
    "timeouts": Timeouts,
    "retry": RetryPolicy,
}
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
    "network": (str,),
    "server_settings": (dict,),
    "reuse": (bool,),
    "test_database": (bool,),
    "schema": (str, list),
    "pg_bin": (str,),
    "extends": (str,),
}
VALID_KEYS = tuple(sorted({*_SCALARS, *_NESTED}))
# Keys a provider does not use: written in a profile file of that provider, they are an error
# (a key accepted and never applied would mislead). Inherited ones (``extends:``) are the
# parent's business: ``native`` extends ``container`` and leaves its image list alone.
UNUSED_BY: dict[str, frozenset[str]] = {
    "container": frozenset({"url", "pg_bin"}),
    "external": frozenset(
        {"image", "host_port", "user", "password", "database", "tmpfs", "network", "reuse",
         "pg_bin"}
    ),
    "native": frozenset({"image", "url", "network", "reuse"}),
}


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
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProfileError(f"{_display(path)}{line}: invalid YAML: {problem}") from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise ProfileError(f"{_display(path)}:{node.start_mark.line + 1}: a profile is a mapping")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        line = key_node.start_mark.line + 1
        at = f"{_display(path)}:{line}"
        if key not in VALID_KEYS:
            raise ProfileError(f"{at}: unknown key {key!r}; valid keys: {', '.join(VALID_KEYS)}")
        value = _value(value_node, env, at)
        if key in _NESTED:
            value = _check_section(key, value, value_node, path, lines)
        else:
            _check_type(key, value, _SCALARS[key], at)
        values[key] = value
        lines[key] = line
    return values, lines


def _value(node: yaml.Node, env: Mapping[str, str], at: str) -> Any:
    """Construct a node's Python value, interpolating ``${VAR}`` in strings and re-typing them."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str" and "${" in node.value:
            text = _interpolate(node.value, env, at)
            return yaml.safe_load(text) if text.strip() else ""
        return yaml.SafeLoader(" ").construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, env, f"{at}") for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {k.value: _value(v, env, at) for k, v in node.value}
    raise ProfileError(f"{at}: unsupported YAML value")


def _interpolate(text: str, env: Mapping[str, str], at: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, default = match["name"], match["default"]
        if env.get(name):
            return env[name]
        if default is not None:
            return default
        raise ProfileError(
            f"{at}: environment variable {name} is not set; set it or write "
            f"${{{name}:-default}} in the profile"
        )

    return _VAR.sub(substitute, text)


def _check_type(key: str, value: Any, types: tuple[type, ...], at: str) -> None:
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = " or ".join("list" if t is list else t.__name__ for t in types)
        raise ProfileError(f"{at}: {key} must be {names}, got {type(value).__name__} {value!r}")


def _check_section(
    key: str, value: Any, node: yaml.Node, path: Path, lines: dict[str, int]
) -> dict[str, Any]:
    """Validate a nested section (``pool``, ``timeouts``, ``retry``); record each sub-key's
    line as ``section.key`` in ``lines``."""
    at = f"{_display(path)}:{node.start_mark.line + 1}"
    if not isinstance(value, dict):
        raise ProfileError(f"{at}: {key} must be a mapping, got {type(value).__name__}")
    fields = {f.name: f for f in dataclasses.fields(_NESTED[key])}
    assert isinstance(node, yaml.MappingNode)
    for sub_key_node, _ in node.value:
        sub = sub_key_node.value
        sub_at = f"{_display(path)}:{sub_key_node.start_mark.line + 1}"
        if sub not in fields:
            raise ProfileError(
                f"{sub_at}: unknown key {key}.{sub}; valid keys: {', '.join(sorted(fields))}"
            )
        expected: tuple[type, ...] = (int,) if fields[sub].type == "int" else (int, float)
        _check_type(f"{key}.{sub}", value[sub], expected, sub_at)
        lines[f"{key}.{sub}"] = sub_key_node.start_mark.line + 1
    return value


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
    if values.get("provider") == "container" and not values.get("image"):
        raise ProfileError(f"{at}: a container profile needs 'image' (a name or a list)")
    _check_used(path, provider, sources)
    _check_pool(values.get("pool", {}), sources, path)
    _check_times(values, sources, path)
    return Profile(
        name=path.stem,
        path=path,
        provider=provider,
        description=values.get("description", ""),
        image=tuple(_as_list(values.get("image", []))),
        host_port=values.get("host_port", 5433),
        user=values.get("user", "dataflow_test"),
        password=str(values.get("password", "dataflow_test_password")),
        database=values.get("database", "dataflow_test"),
        url=values.get("url"),
        tmpfs=values.get("tmpfs", True),
        network=network,
        server_settings={k: _setting_text(v) for k, v in settings.items()},
        pool=PoolSettings(**values.get("pool", {})),
        timeouts=Timeouts(**values.get("timeouts", {})),
        retry=RetryPolicy(**values.get("retry", {})),
        reuse=values.get("reuse", False),
        test_database=values.get("test_database", False),
        schema=tuple(_as_list(values.get("schema", []))),
        pg_bin=values.get("pg_bin") or None,
        sources=sources,
    )


def _check_used(path: Path, provider: str, sources: Mapping[str, str]) -> None:
    """A key written in this file that its provider does not use is an error."""
    own = f"{_display(path)}:"
    for key in sorted(UNUSED_BY.get(provider, frozenset())):
        where = sources.get(key, "")
        if where.startswith(own):
            hint = " (put the port in url)" if key == "host_port" else ""
            raise ProfileError(
                f"{where}: {key} does not apply to {_article(provider)} {provider} profile{hint}; "
                "remove it, or use a provider that uses it"
            )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _check_pool(pool: Mapping[str, Any], sources: Mapping[str, str], path: Path) -> None:
    merged = {**dataclasses.asdict(PoolSettings()), **pool}
    if merged["max_size"] < 1 or not 0 <= merged["min_size"] <= merged["max_size"]:
        where = sources.get("pool.min_size") or sources.get("pool", _display(path))
        raise ProfileError(
            f"{where}: pool needs 0 <= min_size ({merged['min_size']}) <= max_size "
            f"({merged['max_size']}) and max_size >= 1"
        )
    if merged["max_connections"] < 0 or merged["acquire_timeout"] <= 0:
        where = sources.get("pool", _display(path))
        raise ProfileError(
            f"{where}: pool.max_connections must be >= 0 (0: no limit of pgtdd's own) and "
            "pool.acquire_timeout > 0"
        )


# (section, key) -> (lowest value, why): values below are refused with the reason.
_LOWEST: dict[tuple[str, str], tuple[float, str]] = {
    ("timeouts", "startup"): (0.001, "it bounds the whole start"),
    ("timeouts", "connect"): (2.0, "libpq waits at least 2 s for a connection"),
    ("timeouts", "statement"): (0.0, "0 turns the statement timeout off"),
    ("retry", "deadline"): (0.0, "0 means one attempt"),
    ("retry", "initial_wait"): (0.001, "the first pause between attempts"),
    ("retry", "max_wait"): (0.001, "the longest pause between attempts"),
}


def _check_times(values: Mapping[str, Any], sources: Mapping[str, str], path: Path) -> None:
    for (section, key), (lowest, why) in _LOWEST.items():
        value = values.get(section, {}).get(key)
        if value is not None and value < lowest:
            where = sources.get(f"{section}.{key}", _display(path))
            raise ProfileError(
                f"{where}: {section}.{key} must be >= {lowest:g} ({why}), got {value}"
            )
    retry = {**dataclasses.asdict(RetryPolicy()), **values.get("retry", {})}
    if retry["initial_wait"] > retry["max_wait"]:
        where = sources.get("retry.initial_wait") or sources.get("retry", _display(path))
        raise ProfileError(
            f"{where}: retry.initial_wait ({retry['initial_wait']}) must not exceed "
            f"retry.max_wait ({retry['max_wait']})"
        )


def _as_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item not in (None, "")]


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
