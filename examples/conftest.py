"""``pytest examples`` runs the quick start and the migrations project.

The client-stack apps (``psycopg_app``, ``flask_sqlalchemy_app``, ``django_app``) are projects
of their own, each with its ``pytest.ini`` (schema, Django settings, import path) and the
extras it needs (``pgtdd[pool]``, ``pgtdd[alembic]``, ``pgtdd[django]``): run one from its
folder, ``cd examples/psycopg_app && pytest``. Their ``leak/`` tests fail on purpose (they show
the escaped-commit message). ``tests/examples`` runs each of them.
"""

collect_ignore = ["psycopg_app", "flask_sqlalchemy_app", "django_app"]
