"""The polls' tests, on pytest-django's `db` fixture: a transaction per test, rolled back."""

import pytest

from polls.models import Choice, Question


@pytest.mark.django_db
def test_tables_start_empty():
    assert Question.objects.count() == 0 and Choice.objects.count() == 0


@pytest.mark.django_db
def test_vote_counts(client):
    question = Question.objects.create(text="Tea or coffee?")
    tea = question.choices.create(text="Tea")
    for expected in (1, 2):
        response = client.get(f"/questions/{question.pk}/vote/{tea.pk}/")
        assert response.json() == {"votes": expected}


@pytest.mark.parametrize("n", range(6))
def test_many(db, n):
    Question.objects.create(text=f"question {n}")
    assert Question.objects.count() == 1


def test_the_database_is_pgtdd_s(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync'), current_database()")
        fsync, name = cursor.fetchone()
    assert fsync == "off"  # the tuned server pgtdd provisioned
    assert name.startswith("test_polls")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_commits_and_is_not_reported():
    Question.objects.create(text="committed, then flushed by pytest-django")
    assert Question.objects.count() == 1
