"""The README's code for each client stack is the example projects' code, which
tests/examples runs: every block marked ``<!-- tested: PATH -->`` is an excerpt of PATH."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKED = re.compile(r"<!-- tested: (?P<path>\S+) -->\n```\w*\n(?P<code>.*?)```", re.S)
STACKS = ("examples/psycopg_app", "examples/flask_sqlalchemy_app", "examples/django_app")


def marked_blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    return [(m["path"], m["code"]) for m in MARKED.finditer(text)]


def test_every_marked_block_is_an_excerpt_of_its_file() -> None:
    blocks = marked_blocks()
    assert blocks
    for path, code in blocks:
        source = (ROOT / path).read_text()
        assert code in source, f"README block for {path} is not in the file:\n{code}"


def test_every_stack_has_its_settings_and_a_test_in_the_readme() -> None:
    paths = [path for path, _ in marked_blocks()]
    for stack in STACKS:
        assert f"{stack}/pytest.ini" in paths
        assert any(path.startswith(f"{stack}/tests/") for path in paths), stack
