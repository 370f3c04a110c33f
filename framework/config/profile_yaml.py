"""One profile file read: YAML nodes with their line numbers, ``${VAR}`` interpolated.

Profiles keep their nodes (not just values) so that every error names the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

# A default may hold braces one level deep: ``${PGTDD_IMAGE:-pgtdd/postgres:{version}}``.
_VAR = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>(?:[^{}]|\{[^{}]*\})*))?\}"
)
# libyaml's parser when PyYAML has it (ten times the pure-Python one's speed; same nodes).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR: list[Any] = []


class ProfileError(ValueError):
    """A profile could not be found, parsed or validated."""


def compose_file(path: Path, display: str) -> yaml.Node | None:
    """The file's root node (``None`` when empty); invalid YAML names ``display`` and the line."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProfileError(f"{display}{line}: invalid YAML: {problem}") from None


def node_value(node: yaml.Node, env: Mapping[str, str], at: str) -> Any:
    """Construct a node's Python value, interpolating ``${VAR}`` in strings and re-typing them."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str" and "${" in node.value:
            text = interpolate(node.value, env, at)
            return yaml.safe_load(text) if text.strip() else ""
        return _construct(node)
    if isinstance(node, yaml.SequenceNode):
        return [node_value(item, env, at) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {k.value: node_value(v, env, at) for k, v in node.value}
    raise ProfileError(f"{at}: unsupported YAML value")


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


def _construct(node: yaml.Node) -> Any:
    """A node's value as the safe loader makes it (one constructor for all nodes)."""
    if not _CONSTRUCTOR:
        _CONSTRUCTOR.append(yaml.SafeLoader(" "))
    constructor = _CONSTRUCTOR[0]
    try:
        return constructor.construct_object(node, deep=True)
    finally:
        constructor.constructed_objects.clear()  # what it made is the caller's, not a cache
