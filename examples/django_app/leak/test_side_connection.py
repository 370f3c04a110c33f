"""A test that commits through a connection of its own: pgtdd fails it, naming the table.

Not part of the suite (pytest.ini's testpaths); run it on its own: ``pytest leak``.
"""

import psycopg
import pytest
from django.db import connection

from polls.models import Question


@pytest.mark.django_db
def test_commits_through_a_second_connection():
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as other:  # not Django's connection: its INSERT really commits
        other.execute("INSERT INTO polls_question (text) VALUES ('leaked')")
    assert Question.objects.count() == 1
