"""The wheel: only `pgtdd` at the top of site-packages, with its profiles and image build files,
and a user project with its own `containers`, `framework` and `profiles` runs pgtdd next to them.

The wheel is built from this checkout and installed, with its dependencies, in a fresh virtual
environment outside the repository (as a user's `pip install` would).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.packaging.test_layout import ROOT, source_packages

IMAGE_FILES = ("Dockerfile", "pgtdd-entrypoint.sh", "pgtdd-build-seed.sh", "tuned.conf")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("pgtdd-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the repository with only the wheel (and its dependencies)."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env_dir


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_only_top_level_name_is_pgtdd(wheel: Path) -> None:
    tops = {name.split("/")[0] for name in wheel_names(wheel)}
    tops = {top for top in tops if not top.endswith(".dist-info")}
    assert tops == {"pgtdd"}
    with zipfile.ZipFile(wheel) as archive:
        (top_level,) = [n for n in archive.namelist() if n.endswith("top_level.txt")]
        assert archive.read(top_level).decode().split() == ["pgtdd"]


def test_every_package_profile_and_image_file_is_in_the_wheel(wheel: Path) -> None:
    names = set(wheel_names(wheel))
    packages = {
        "/".join(package.split(".")) + "/__init__.py" for package in source_packages()
    }
    assert packages <= names, f"packages missing from the wheel: {sorted(packages - names)}"
    profiles = {f"pgtdd/profiles/{p.name}" for p in (ROOT / "profiles").glob("*.yaml")}
    assert profiles and profiles <= names
    image = {f"pgtdd/providers/image_files/{name}" for name in IMAGE_FILES}
    assert image <= names, f"image build files missing: {sorted(image - names)}"


def test_image_build_files_are_found_in_the_installed_wheel(installed: Path) -> None:
    code = (
        "from pgtdd.providers import image\n"
        "print(image.DOCKER_DIR)\n"
        "print(image.tuned_source_hash())\n"
    )
    out = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
    ).stdout.split()
    assert Path(out[0]).is_relative_to(installed), out[0]
    for name in IMAGE_FILES:
        assert (Path(out[0]) / name).is_file()
    from pgtdd.providers import image

    # Same files as the checkout's docker/: an image built from either is current for both.
    assert out[1] == image.tuned_source_hash()
    help_text = subprocess.run(
        [str(installed / "bin" / "pgtdd"), "image", "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--offline" in help_text


USER_FILES = {
    "containers.py": "def shipping_containers():\n    return ['a', 'b']\n",
    "framework/__init__.py": "NAME = 'user framework'\n",
    "framework/plugin.py": "PLUGIN = 'the user plugin'\n",
    "profiles/__init__.py": "",
    "profiles/models.py": "class Profile:\n    kind = 'user profile'\n",
    "pytest.ini": (
        "[pytest]\nasyncio_default_fixture_loop_scope = session\n"
        "asyncio_default_test_loop_scope = session\n"
    ),
    "tests/test_app.py": '''
import psycopg
import pytest

import containers
import framework
from framework.plugin import PLUGIN
from profiles.models import Profile


def test_own_modules_are_theirs():
    assert containers.shipping_containers() == ["a", "b"]
    assert framework.NAME == "user framework" and PLUGIN == "the user plugin"
    assert Profile.kind == "user profile"


def test_server(pgtdd_server):
    with psycopg.connect(pgtdd_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.asyncio
async def test_rolled_back(tdd_test_context):
    await tdd_test_context.connection.execute("CREATE TABLE t (id int)")
''',
}


def test_a_user_project_with_its_own_framework_containers_and_profiles(
    installed: Path, tmp_path: Path
) -> None:
    for name, text in USER_FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
