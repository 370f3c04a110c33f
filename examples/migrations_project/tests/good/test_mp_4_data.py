"""What the migrations do to existing data: seeds, backfills, clean-ups, batching.

Each test rolls its own database back to the version before the migration under test, adds the
rows that matter, migrates to head and looks at the result.
"""

from __future__ import annotations

from typing import Any

import psycopg

from pgtdd.migrations.fixtures import MigratedDatabase
from pgtdd.migrations.runner import MigrationRunner

LOG_BATCHES = """
CREATE TABLE batch_log (rows integer NOT NULL);
CREATE FUNCTION log_batch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO batch_log SELECT count(*) FROM new_rows;
    RETURN NULL;
END $$;
CREATE TRIGGER posts_log_batch AFTER UPDATE ON posts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_batch();
"""


def _rows(conn: psycopg.Connection[Any], query: str) -> list[tuple[Any, ...]]:
    return conn.execute(query).fetchall()


def test_roles_are_seeded(migrated_schema: MigratedDatabase) -> None:
    with migrated_schema.connect() as conn:
        roles = {name for (name,) in _rows(conn, "SELECT name FROM roles")}
    assert roles == {"reader", "author", "admin"}


def test_display_names_are_filled_in_only_where_missing(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        runner.down(target=4)
        conn.execute(
            "INSERT INTO users (email, username, display_name) VALUES"
            " ('alice@example.com', 'alice', NULL), ('bob@example.com', 'bobby', 'Bob B.')"
        )
        runner.up()
        names = dict(_rows(conn, "SELECT username, display_name FROM users"))
    assert names == {"alice": "alice", "bobby": "Bob B."}


def test_blank_comments_are_removed_and_others_kept(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        runner.down(target=3)
        conn.execute(
            "INSERT INTO users (email, username) VALUES ('a@example.com', 'alice');"
            "INSERT INTO posts (user_id, title) SELECT id, 'Hello' FROM users;"
            "INSERT INTO comments (post_id, user_id, body)"
            " SELECT p.id, p.user_id, b FROM posts p,"
            " unnest(ARRAY['', '   ', 'x', ' y ', 'ok', 'fine']) AS b"
        )
        runner.up()
        bodies = sorted(body for (body,) in _rows(conn, "SELECT body FROM comments"))
    assert bodies == ["fine", "ok"]


def test_user_stats_cover_every_user(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        runner.down(target=4)
        conn.execute(
            "INSERT INTO users (email, username) VALUES"
            " ('a@example.com', 'alice'), ('b@example.com', 'bobby'), ('c@example.com', 'carol');"
            "INSERT INTO posts (user_id, title, slug) SELECT id, t, t FROM users,"
            " unnest(ARRAY['one', 'two']) AS t WHERE username = 'alice';"
            "INSERT INTO comments (post_id, user_id, body) SELECT p.id, u.id, 'nice'"
            " FROM posts p, users u WHERE u.username = 'bobby' AND p.slug = 'one'"
        )
        runner.up()
        stats = {
            name: (posts, comments)
            for name, posts, comments in _rows(
                conn,
                "SELECT u.username, s.post_count, s.comment_count"
                " FROM user_stats s JOIN users u ON u.id = s.user_id",
            )
        }
    assert stats == {"alice": (2, 0), "bobby": (0, 1), "carol": (0, 0)}


def test_slugs_are_backfilled_in_batches(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        runner.down(target=3)
        conn.execute(
            "INSERT INTO users (email, username) VALUES ('a@example.com', 'alice');"
            "INSERT INTO posts (user_id, title)"
            " SELECT u.id, 'Post number ' || g FROM users u, generate_series(1, 2100) g;"
            + LOG_BATCHES
        )
        runner.up()
        wrong = _rows(
            conn,
            "SELECT count(*) FROM posts WHERE slug IS DISTINCT FROM"
            " lower(replace(title, ' ', '-')) || '-' || id",
        )[0][0]
        batches = [rows for (rows,) in _rows(conn, "SELECT rows FROM batch_log") if rows]
    assert wrong == 0
    assert sum(batches) == 2100
    assert max(batches) <= 1000, f"backfill updated {max(batches)} rows in one statement"
