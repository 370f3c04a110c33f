"""Modules imported at their first use, so that loading the pytest plugin stays cheap.

``name = lazy_module("pgtdd.loss")`` at the top of a module behaves like ``import`` for every
attribute access, but imports on the first one. Pair it with the real import under
``TYPE_CHECKING`` so the type checker sees the module::

    if TYPE_CHECKING:
        from pgtdd import loss
    else:
        loss = lazy_module("pgtdd.loss")
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """A stand-in for a module, importing it at the first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            # pytest probes every name of a plugin module for fixture markers and mocks
            # (``_pytestfixturefunction``, ``_mock_name``...): answering those must not import.
            raise AttributeError(attribute)
        module = self._module
        if module is None:  # once: the per-test path reads through here
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"


def lazy_module(name: str) -> Any:
    """A :class:`LazyModule` for ``name`` (typed ``Any``: pair it with a TYPE_CHECKING import)."""
    return LazyModule(name)
