"""The Python versions pgtdd claims are the ones it is tested on: requires-python, the
classifiers, the README and CI's second interpreter agree, and the interpreter running this
suite is one of them (run on a new Python, this fails until the version is claimed)."""

from __future__ import annotations

import re
import sys
import tomllib
from typing import Any

from tests.packaging.test_layout import ROOT


def project() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return dict(data["project"])


def classified() -> list[tuple[int, int]]:
    """The ``Programming Language :: Python :: 3.X`` classifiers, oldest first."""
    found = []
    for classifier in project().get("classifiers", []):
        if match := re.fullmatch(r"Programming Language :: Python :: (\d+)\.(\d+)", classifier):
            found.append((int(match[1]), int(match[2])))
    return sorted(found)


def dotted(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def test_classifiers_run_from_requires_python_without_gaps() -> None:
    versions = classified()
    assert versions, "pyproject.toml lists no 'Programming Language :: Python :: 3.X' classifier"
    floor = re.fullmatch(r">=\s*(\d+)\.(\d+)", project()["requires-python"])
    assert floor, f"requires-python {project()['requires-python']!r} is not '>=X.Y'"
    assert versions[0] == (int(floor[1]), int(floor[2])), (
        f"requires-python says {floor[0]} but the oldest classifier is {dotted(versions[0])}"
    )
    first, last = versions[0][1], versions[-1][1]
    assert versions == [(3, minor) for minor in range(first, last + 1)]


def test_ci_runs_the_suite_again_on_the_newest_claimed_version() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    match = re.search(r"PGTDD_CI_PYTHON:-(\d+\.\d+)", ci)
    assert match, ".ci/run names no default for PGTDD_CI_PYTHON (the second interpreter)"
    assert match[1] == dotted(classified()[-1])
    assert 'scripts/on-python.sh "$newest"' in ci


def test_the_readme_names_every_claimed_version_and_how_it_is_tested() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "\n## Python versions\n" in readme, "README.md has no '## Python versions' section"
    section = readme.split("\n## Python versions\n", 1)[1].split("\n## ", 1)[0]
    missing = [dotted(v) for v in classified() if f"| {dotted(v)}" not in section]
    assert not missing, f"README's Python versions table has no row for {missing}"
    assert "scripts/on-python.sh" in section


def test_this_interpreter_is_a_claimed_version() -> None:
    here = sys.version_info[:2]
    assert here in classified(), (
        f"Python {dotted(here)} is not among pyproject.toml's classifiers: once the suite "
        "passes on it, add it there and to the README's Python versions table"
    )
