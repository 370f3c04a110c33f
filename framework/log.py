"""pgtdd's loggers, and the guides' logger names as aliases of them.

Every module logs under ``pgtdd.<module>``. The spec's guides configure logging by their
module names (``logging.getLogger('dataflow.testing').setLevel(logging.DEBUG)``); here those
names are the very same logger objects as pgtdd's (not copies), so a level or a handler set
on either name applies to both:

================================  ==================
the guides' name                  pgtdd's logger
================================  ==================
``dataflow.testing``              ``pgtdd``
``dataflow.testing.tdd_support``  ``pgtdd.isolation``
================================  ==================

What pgtdd logs: the session server's start (INFO), the TDD pool's creation and closing
(INFO/DEBUG), a failed start of the TDD infrastructure (WARNING). Nothing per test.
"""

from __future__ import annotations

import logging

ALIASES: dict[str, str] = {
    "dataflow.testing": "pgtdd",
    "dataflow.testing.tdd_support": "pgtdd.isolation",
}


def install_aliases() -> None:
    """Make each alias name resolve to pgtdd's logger (idempotent).

    A logger the user created under an alias name before pgtdd was imported is merged: its
    level, handlers and ``propagate`` move to pgtdd's logger, and its children follow.
    """
    manager = logging.Logger.manager
    changed = False
    for alias in sorted(ALIASES, key=len):  # parents first: children end under the nearest
        target = logging.getLogger(ALIASES[alias])
        existing = manager.loggerDict.get(alias)
        if existing is target:
            continue
        if isinstance(existing, logging.Logger):
            _merge(existing, target)
        manager.loggerDict[alias] = target
        _adopt_children(alias, existing, target)
        changed = True
    if changed:
        getattr(manager, "_clear_cache", lambda: None)()  # cached effective levels


def _merge(old: logging.Logger, target: logging.Logger) -> None:
    if old.level != logging.NOTSET:
        target.setLevel(old.level)
    for handler in old.handlers:
        if handler not in target.handlers:
            target.addHandler(handler)
    target.propagate = target.propagate and old.propagate


def _adopt_children(alias: str, old: object, target: logging.Logger) -> None:
    """Loggers below the alias name whose parent was the old logger, or a logger above the
    alias, now hang under pgtdd's logger."""
    prefix = alias + "."
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if not name.startswith(prefix) or not isinstance(logger, logging.Logger):
            continue
        if name in ALIASES:
            continue
        parent = logger.parent
        if parent is old or parent is None or not parent.name.startswith(prefix):
            logger.parent = target


def get_logger(name: str) -> logging.Logger:
    """The logger of a pgtdd module (``__name__``), with the aliases installed."""
    install_aliases()
    return logging.getLogger(name)
