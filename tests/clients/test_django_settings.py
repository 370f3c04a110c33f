"""Django through pytest-django: pgtdd moves only PostgreSQL aliases onto its server, and
`pgtdd_django = false` leaves Django's settings alone."""

from __future__ import annotations

from tests.conftest import RunChild

SETTINGS = '''
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.contenttypes"]
USE_TZ = True
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "settings_check",
        "HOST": "nowhere.invalid",
        "PORT": "5999",
        "USER": "someone",
        "PASSWORD": "not-this",
    },
    "cache": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
'''

TESTS = '''
import pytest
from django.db import connections

@pytest.mark.django_db(databases=["default", "cache"])
def test_aliases():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync')")
        assert cursor.fetchone() == ("off",)
    assert connections["cache"].vendor == "sqlite"
    assert connections["cache"].settings_dict["NAME"].startswith(("file:", ":memory:"))
'''


def files() -> dict[str, str]:
    return {"checksite/__init__.py": "", "checksite/settings.py": SETTINGS, "test_dj.py": TESTS}


INI = "[pytest]\nDJANGO_SETTINGS_MODULE = checksite.settings\npythonpath = .\n" \
    "asyncio_default_fixture_loop_scope = function\n"


def test_only_postgresql_aliases_move_to_pgtdd_s_server(run_child: RunChild) -> None:
    run = run_child(files(), ini=INI)
    assert run.returncode == 0, run.output[-3000:]
    assert "1 passed" in run.outcomes()
    assert "not-this" not in run.output


def test_pgtdd_django_false_leaves_the_settings_alone(run_child: RunChild) -> None:
    run = run_child(files(), ini=INI + "pgtdd_django = false\n")
    assert run.returncode != 0
    assert "nowhere.invalid" in run.output  # Django tried the server its settings name
