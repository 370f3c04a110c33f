"""Half-made databases, swept at session start the way dead runs' clones are.

- Half-built templates (``pgtdd_tpl_<key>_build_<hex>``, a migration chain's
  ``pgtdd_mt_<hash>_<n>_b_<hex>``) whose build lock nobody holds: the builder was killed.
- A ``pgtdd mutate`` run's databases (``pgtdd_mr_*``, clones ``pgtdd_mt_*_<hex>``, and any
  other ``pgtdd_*`` database but a complete template) whose owner comment names a process
  that is gone (the janitor writes that comment on every database it creates).
- Schema templates of old keys: each project keeps its :data:`KEEP_TEMPLATES` most recently
  used (a template's comment says which project used it last, and when); one unused for
  :data:`UNUSED_DAYS` goes too (a temporary project's).

A template is dropped only under its build lock (taken without waiting), the lock a session
holds while it builds the template and clones from it, so no session loses the template it
is cloning.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from pgtdd.databases.janitor import DatabaseJanitor
from pgtdd.providers.ownership import owner_alive

TEMPLATE_PREFIX = "pgtdd_tpl_"
KEEP_TEMPLATES = 3
# A template no session used for this long goes whatever its project (temporary projects).
UNUSED_DAYS = 7.0
BUILD_MARKS = (("pgtdd_tpl_", "_build_"), ("pgtdd_mt_", "_b_"))
# Complete templates are caches (content-addressed), never swept for their builder's death.
_COMPLETE_TEMPLATE = re.compile(r"^(?:pgtdd_tpl_[0-9a-f]{16}|pgtdd_mt_[0-9a-f]{12}_\d{3})$")


def lock_key(template: str) -> str:
    """The advisory lock a session holds while it builds (and clones from) ``template``."""
    return f"pgtdd-template:{template}"


def building_target(name: str) -> str | None:
    """The template a half-built database ``name`` was to become, or ``None``."""
    for prefix, mark in BUILD_MARKS:
        if name.startswith(prefix) and mark in name:
            return name.rsplit(mark, 1)[0]
    return None


@dataclass(frozen=True)
class Comment:
    """A pgtdd database's comment: its owner, and for a template the project that used it."""

    owner: dict[str, str]
    project: str | None
    used: float

    @classmethod
    def parse(cls, text: str | None) -> Comment:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        owner = {k: str(v) for k, v in data.items() if k.startswith("org.pgtdd.")}
        used = data.get("used")
        return cls(owner, data.get("project"), float(used) if used is not None else 0.0)


def template_comment(project: str, owner: str) -> str:
    """The comment a session writes on the template it uses (project and time)."""
    data = json.loads(owner)
    data.update({"project": project, "used": round(time.time(), 3)})
    return json.dumps(data)


def sweep_half_made(
    janitor: DatabaseJanitor, *, keep: int = KEEP_TEMPLATES, current: Iterable[str] = ()
) -> list[str]:
    """Drop what dead builds, dead runs and old schema keys left; return the names dropped."""
    comments = janitor.comments("pgtdd_")
    spare = set(current)
    dropped: list[str] = []
    for name, text in comments.items():
        target = building_target(name)
        if target is not None:
            if _drop_unlocked(janitor, name, lock_key(target)):
                dropped.append(name)
            continue
        owner = Comment.parse(text).owner
        if owner and not _COMPLETE_TEMPLATE.match(name) and not owner_alive(owner):
            janitor.drop(name)
            dropped.append(name)
    dropped += _old_templates(janitor, comments, keep, spare)
    return dropped


def _old_templates(
    janitor: DatabaseJanitor, comments: dict[str, str | None], keep: int, spare: set[str]
) -> list[str]:
    by_project: dict[str, list[tuple[float, str]]] = {}
    for name, text in comments.items():
        if not name.startswith(TEMPLATE_PREFIX) or not _COMPLETE_TEMPLATE.match(name):
            continue
        comment = Comment.parse(text)
        by_project.setdefault(comment.project or "", []).append((comment.used, name))
    stale = time.time() - UNUSED_DAYS * 86400
    dropped = []
    for templates in by_project.values():
        ranked = sorted(templates, reverse=True)
        old = ranked[keep:] + [t for t in ranked[:keep] if 0 < t[0] < stale]
        for _, name in old:
            if name not in spare and _drop_unlocked(janitor, name, lock_key(name)):
                dropped.append(name)
    return dropped


def _drop_unlocked(janitor: DatabaseJanitor, name: str, key: str) -> bool:
    """Drop ``name`` if nobody holds lock ``key`` (taken without waiting); whether it was."""
    with janitor.try_locked(key) as acquired:
        if acquired:
            janitor.drop(name)
        return acquired


def live_runs(janitor: DatabaseJanitor) -> list[tuple[str, int]]:
    """The databases of live sessions on this server and their owners' pids (a reused
    container's users, for ``pgtdd down`` to refuse it without ``--force``)."""
    found = []
    for name, text in janitor.comments("pgtdd_").items():
        owner = Comment.parse(text).owner
        pid = owner.get("org.pgtdd.pid", "")
        if owner and not _COMPLETE_TEMPLATE.match(name) and owner_alive(owner) and pid.isdigit():
            found.append((name, int(pid)))
    return found
