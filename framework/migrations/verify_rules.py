"""The ignore rules of ``pgtdd migrate verify`` (:class:`VerifyRules`) and where they come from:
the profile's ``migration_verify`` section, the command line, the fixture's arguments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from pgtdd.config.profile import ProfileError
from pgtdd.config.settings import Settings
from pgtdd.migrations.snapshot import KINDS
from pgtdd.migrations.snapshot_queries import fields

ON_ERROR = ("continue", "stop")


class VerifyRulesError(ValueError):
    """An ignore rule names a kind or field of object that snapshots do not have."""


@dataclass(frozen=True)
class VerifyRules:
    """What ``verify`` does not count as a finding.

    - ``ignore_kinds``: kinds of object (``index``), one field of a kind (``column.position``),
      or a field of every kind that has it (``*.owner``, ``*.privileges``, ``*.comment``).
    - ``ignore_names``: shell-style patterns on object names (``public.audit_*``).
    - ``irreversible``: migrations known to be irreversible, by label, version or name
      (patterns allowed): they are still checked and reported, as ``listed``.
    - ``on_error``: ``continue`` (default) or ``stop`` at the first failed migration.
    """

    ignore_kinds: tuple[str, ...] = ()
    ignore_names: tuple[str, ...] = ()
    irreversible: tuple[str, ...] = ()
    on_error: str = "continue"

    def __post_init__(self) -> None:
        for rule in self.ignore_kinds:
            _check_kind_rule(rule)
        if self.on_error not in ON_ERROR:
            raise VerifyRulesError(f"on_error={self.on_error!r}: use one of {', '.join(ON_ERROR)}")

    def merged(self, other: VerifyRules) -> VerifyRules:
        """Both sets of ignore rules; ``other``'s ``on_error`` wins."""
        return VerifyRules(
            tuple(dict.fromkeys((*self.ignore_kinds, *other.ignore_kinds))),
            tuple(dict.fromkeys((*self.ignore_names, *other.ignore_names))),
            tuple(dict.fromkeys((*self.irreversible, *other.irreversible))),
            other.on_error,
        )

    def listed(self, labels: Iterable[str]) -> str | None:
        """The ``irreversible`` entry matching one of a migration's labels, if any."""
        for pattern in self.irreversible:
            if any(fnmatchcase(label, pattern) for label in labels):
                return pattern
        return None

    def ignoring(self, kind: str, name: str, field_name: str | None = None) -> str | None:
        """The rule that ignores this object (or this field of it), as written; else None."""
        for pattern in self.ignore_names:
            if fnmatchcase(name, pattern):
                return f"name {pattern}"
        for rule in self.ignore_kinds:
            rule_kind, _, rule_field = rule.partition(".")
            if rule_kind not in (kind, "*"):
                continue
            if not rule_field or rule_field == field_name:
                return f"kind {rule}"
        return None


def profile_rules(settings: Settings | None) -> VerifyRules:
    """The rules of a profile's ``migration_verify`` section (a bad rule names its file and
    line)."""
    if settings is None:
        return VerifyRules()
    section = settings.profile.migration_verify
    for rule in section.ignore_kinds:
        try:
            _check_kind_rule(rule)
        except VerifyRulesError as exc:
            where = settings.profile.source_of("migration_verify.ignore_kinds")
            raise ProfileError(f"{where}: migration_verify.ignore_kinds: {exc}") from None
    return VerifyRules(
        section.ignore_kinds, section.ignore_names, section.irreversible, section.on_error
    )


def _check_kind_rule(rule: str) -> None:
    kinds = sorted(KINDS.values())
    kind, _, field_name = rule.partition(".")
    if kind != "*" and kind not in kinds:
        raise VerifyRulesError(
            f"ignore kind {rule!r}: unknown kind {kind!r}; use one of {', '.join(kinds)}, "
            "or KIND.FIELD (column.position), or *.FIELD (*.owner)"
        )
    if not field_name:
        if kind == "*":
            raise VerifyRulesError(
                "ignore kind '*' would ignore everything: name a field (*.owner)"
            )
        return
    known = (
        sorted({f for names in fields().values() for f in names})
        if kind == "*"
        else sorted(fields()[_section(kind)])
    )
    if field_name not in known:
        raise VerifyRulesError(
            f"ignore kind {rule!r}: {kind} has no field {field_name!r}; its fields: "
            + ", ".join(known)
        )


def _section(kind: str) -> str:
    return next(section for section, k in KINDS.items() if k == kind)
