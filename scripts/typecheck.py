"""Type-check the `pgtdd` package as it is installed: `python scripts/typecheck.py [mypy args]`.

The design card's folders (framework/, containers/, profiles/) become one package only at build
time, and mypy cannot follow setuptools' editable-install finder. So this script lays the package
out as the wheel has it, with symbolic links under build/typecheck/pgtdd (the `mypy_path` of
pyproject.toml), then runs mypy on it with the project's settings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEW = ROOT / "build" / "typecheck"


def package_dirs() -> dict[str, Path]:
    """pyproject.toml's package-dir: each package's source folder, for Python packages only."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {
        name: ROOT / folder
        for name, folder in mapping.items()
        if (ROOT / folder / "__init__.py").is_file()
    }


def build_view() -> Path:
    """A tree under build/typecheck where each package's folder is a link to its source."""
    shutil.rmtree(VIEW, ignore_errors=True)
    for name, source in sorted(package_dirs().items()):
        target = VIEW.joinpath(*name.split("."))
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            continue
        target.mkdir()
        for entry in source.iterdir():
            if entry.name == "__pycache__":
                continue
            link = target / entry.name
            if not link.exists():
                link.symlink_to(entry)
    return VIEW


def main(argv: list[str]) -> int:
    build_view()
    command = [sys.executable, "-m", "mypy", *argv]
    return subprocess.run(command, cwd=ROOT, env=os.environ).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
