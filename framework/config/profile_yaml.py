"""One profile file read: its YAML nodes with their line numbers, ``${VAR}`` interpolated.

Profiles keep their nodes (not just values) so that every error names the file and line.
Importing PyYAML costs ~9 ms, a tenth of pgtdd's whole start-up budget, on every pytest run:
so a file's nodes, with the values of its plain scalars, are kept as JSON in
``$XDG_CACHE_HOME/pgtdd/profiles`` (keyed by the file's path, size and modification time,
like Python's bytecode cache), and a run whose files are unchanged reads them without PyYAML.
The cache holds what the files hold, never an interpolated value (those may come from
secrets in the environment).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A default may hold braces one level deep: ``${PGTDD_IMAGE:-pgtdd/postgres:{version}}``.
_VAR = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>(?:[^{}]|\{[^{}]*\})*))?\}"
)
STR_TAG = "tag:yaml.org,2002:str"
CACHE_FORMAT = 1
CACHE_ENTRIES = 64
_CONSTRUCTOR: list[Any] = []
# Text YAML reads back as the same string (checked against PyYAML by a test): no indicator
# first, no letter a bool or null starts with, no digit, no space, no trailing ":" (flow
# indicators after the first character are text in a block scalar).
_DECIMAL = re.compile(r"0|[1-9][0-9]*")  # "0123" is octal to YAML 1.1: not here
_PLAIN_TEXT = re.compile(r"[a-eg-mp-su-xzA-EG-MP-SU-XZ/][A-Za-z0-9_./:@%+=~{}\[\],-]*")


class ProfileError(ValueError):
    """A profile could not be found, parsed or validated."""


@dataclass(frozen=True)
class Node:
    """A YAML node as a profile needs it: ``kind`` (``scalar``, ``sequence``, ``mapping``),
    its 1-based ``line``, and a scalar's ``tag``, ``text`` and value (``constructed``; not
    for a string with ``${`` in it, interpolated at each load), a sequence's ``items`` or a
    mapping's ``pairs``."""

    kind: str
    line: int
    tag: str = ""
    text: str = ""
    constructed: bool = False
    data: Any = None
    items: tuple[Node, ...] = ()
    pairs: tuple[tuple[Node, Node], ...] = ()

    def as_json(self) -> list[Any]:
        """The node as compact JSON data (for the cache)."""
        if self.kind == "scalar":
            return ["s", self.line, self.tag, self.text, self.constructed, self.data]
        if self.kind == "sequence":
            return ["q", self.line, [item.as_json() for item in self.items]]
        return ["m", self.line, [[k.as_json(), v.as_json()] for k, v in self.pairs]]

    @classmethod
    def from_json(cls, data: list[Any]) -> Node:
        """The inverse of :meth:`as_json`."""
        if data[0] == "s":
            _, line, tag, text, constructed, value = data
            return cls("scalar", line, tag, text, constructed, value)
        if data[0] == "q":
            return cls("sequence", data[1], items=tuple(cls.from_json(i) for i in data[2]))
        pairs = tuple((cls.from_json(k), cls.from_json(v)) for k, v in data[2])
        return cls("mapping", data[1], pairs=pairs)


def compose_file(path: Path, display: str) -> Node | None:
    """The file's root node (``None`` when empty), from the cache when the file is unchanged;
    invalid YAML names ``display`` and the line."""
    cache, key = _cache_entry(path)
    cached = _read_cache(cache, key)
    if cached is not None:
        with contextlib.suppress(LookupError, TypeError, ValueError):  # damaged: parse again
            return None if cached == [] else Node.from_json(cached)
    node, cacheable = _parse(path, display)
    if cacheable:
        _write_cache(cache, key, [] if node is None else node.as_json())
    return node


def node_value(node: Node, env: Mapping[str, str], at: str) -> Any:
    """A node's Python value, ``${VAR}`` interpolated in strings and the result re-typed."""
    if node.kind == "scalar":
        if node.constructed:
            return node.data
        text = interpolate(node.text, env, at)
        if not text.strip():
            return ""
        if _PLAIN_TEXT.fullmatch(text) and not text.endswith(":"):
            return text
        if _DECIMAL.fullmatch(text):
            return int(text)
        import yaml

        return yaml.safe_load(text)
    if node.kind == "sequence":
        return [node_value(item, env, at) for item in node.items]
    return {key.text: node_value(value, env, at) for key, value in node.pairs}


def interpolate(text: str, env: Mapping[str, str], at: str) -> str:
    """``${NAME}`` and ``${NAME:-default}`` replaced from ``env`` (unset and no default: an
    error naming ``at`` and the variable)."""

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


def _parse(path: Path, display: str) -> tuple[Node | None, bool]:
    """Parse with PyYAML (libyaml's parser when it has it); also whether the nodes can be
    cached (every constructed value is plain JSON)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProfileError(f"{display}{line}: invalid YAML: {problem}") from None
    if root is None:
        return None, True
    plain = [True]
    return _convert(root, plain), plain[0]


def _convert(node: Any, plain: list[bool]) -> Node:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        return Node("sequence", line, items=tuple(_convert(item, plain) for item in node.value))
    if isinstance(node, yaml.MappingNode):
        pairs = tuple((_convert(k, plain), _convert(v, plain)) for k, v in node.value)
        return Node("mapping", line, pairs=pairs)
    if node.tag == STR_TAG and "${" in node.value:
        return Node("scalar", line, node.tag, node.value)
    value = _construct(node)
    if not isinstance(value, (str, int, float, bool, type(None))):
        plain[0] = False  # a date, bytes...: parsed again next time
    return Node("scalar", line, node.tag, node.value, True, value)


def _construct(node: Any) -> Any:
    """A scalar's value as the safe loader makes it (one constructor for all nodes)."""
    import yaml

    if not _CONSTRUCTOR:
        _CONSTRUCTOR.append(yaml.SafeLoader(" "))
    constructor = _CONSTRUCTOR[0]
    try:
        return constructor.construct_object(node, deep=True)
    finally:
        constructor.constructed_objects.clear()  # what it made is the caller's, not a cache


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pgtdd/profiles`` (``~/.cache`` without it)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "pgtdd" / "profiles"


def _cache_entry(path: Path) -> tuple[Path | None, list[Any]]:
    try:
        real = path.resolve()
        stat = real.stat()
        folder = cache_dir()
    except (OSError, RuntimeError):  # RuntimeError: no home directory to cache in
        return None, []
    name = hashlib.sha256(str(real).encode()).hexdigest()[:24]
    key = [CACHE_FORMAT, str(real), stat.st_size, stat.st_mtime_ns]
    return folder / f"{name}.json", key


def _read_cache(cache: Path | None, key: list[Any]) -> list[Any] | None:
    if cache is None:
        return None
    try:
        entry = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    root = entry.get("root")
    return root if isinstance(root, list) else None


def _write_cache(cache: Path | None, key: list[Any], root: list[Any]) -> None:
    """Best effort (a read-only home only costs the parse next time), atomic (a concurrent
    xdist worker reads the old entry or the new one, never half of one)."""
    if cache is None:
        return
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"key": key, "root": root}), encoding="utf-8")
        os.replace(partial, cache)
        _prune(cache.parent)


def _prune(folder: Path) -> None:
    """Keep the ``CACHE_ENTRIES`` newest entries (profiles in temporary folders come and go)."""
    entries = sorted(folder.glob("*.json"), key=_mtime, reverse=True)
    for stale in entries[CACHE_ENTRIES:]:
        with contextlib.suppress(OSError):
            stale.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
