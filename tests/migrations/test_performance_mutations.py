"""Each PERFORMANCE mutation makes the sample migration measurably slower or riskier.

Measured with the server's own counters (buffers, rows per statement, rows scanned under a
lock, lock waits, settings), never with wall-clock thresholds.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgtdd.migrations import MigrationRunner, MutationRegistry
from pgtdd.migrations.sql_ast import parse, statement_text
from pgtdd.serverinfo import ServerInfo
from tests.migrations.conftest import MIGRATIONS

REGISTRY = MutationRegistry()
POSTS_QUERY = "SELECT id FROM posts WHERE user_id = 190 ORDER BY created_at DESC LIMIT 10"


def _pair(mutation_id: str, file_name: str, site: str = "") -> tuple[str, str]:
    """(original, mutant) SQL of ``file_name`` for the mutant whose site contains ``site``."""
    mutation = REGISTRY.get_mutation_by_id(mutation_id)
    assert mutation is not None
    original = (MIGRATIONS / file_name).read_text()
    mutant = next(m for m in mutation.mutants(original) if site in m.site)
    return original, mutant.sql


def _statement(sql: str, starts: str) -> str:
    return next(
        statement_text(sql, s) for s in parse(sql) if statement_text(sql, s).startswith(starts)
    )


def _folder_with(tmp_path: Path, file_name: str, sql: str) -> Path:
    folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
    shutil.copytree(MIGRATIONS, folder)
    (folder / file_name).write_text(sql)
    return folder


def _buffers_of_posts_query(server: ServerInfo, migration_002: str) -> tuple[int, str]:
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(migration_002.encode())
        conn.execute(
            "INSERT INTO users (email, username) SELECT 'u' || g || '@x', 'user' || g"
            " FROM generate_series(1, 200) g;"
            "INSERT INTO posts (user_id, title, created_at) SELECT u.id, 't',"
            " now() - (u.id * 100 + g) * interval '1 minute'"
            " FROM users u, generate_series(1, 100) g; ANALYZE posts"
        )
        row = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {POSTS_QUERY}").fetchone()
    plan = (row[0] if row else [{}])[0]["Plan"]
    return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"], json.dumps(plan)


@pytest.mark.parametrize("mutation_id", ["PRF_001", "PRF_006"])
def test_lost_or_reversed_index_makes_the_key_query_read_far_more(
    mutation_id: str, db_at: Callable[[int], ServerInfo]
) -> None:
    original, mutant = _pair(mutation_id, "002_create_posts.up.sql", "posts_user_id_created_at")
    good, good_plan = _buffers_of_posts_query(db_at(1), original)
    bad, _ = _buffers_of_posts_query(db_at(1), mutant)
    assert "posts_user_id_created_at_idx" in good_plan
    assert bad > 5 * good, f"{mutation_id}: {bad} buffers vs {good} with the right index"


def _writers_blocked_while_building(server: ServerInfo, statement: str) -> bool:
    """Build the index while a writer's transaction is open; can another writer insert?"""
    with (
        psycopg.connect(server.url, autocommit=True) as holder,
        psycopg.connect(server.url, autocommit=True) as builder,
        psycopg.connect(server.url, autocommit=True) as writer,
    ):
        holder.execute("BEGIN")
        holder.execute("INSERT INTO posts (user_id, title) SELECT id, 'held' FROM users")
        errors: list[BaseException] = []

        def build() -> None:
            try:
                builder.execute(statement.encode())
            except psycopg.Error as exc:
                errors.append(exc)

        thread = threading.Thread(target=build)
        thread.start()
        pid = builder.info.backend_pid
        for _ in range(5000):  # until the build waits for the open transaction
            row = writer.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).fetchone()
            if row and row[0] == "Lock":
                break
            time.sleep(0.001)
        writer.execute("SET lock_timeout = '300ms'")
        try:
            writer.execute("INSERT INTO posts (user_id, title) SELECT id, 'new' FROM users")
            blocked = False
        except psycopg.errors.LockNotAvailable:
            blocked = True
        holder.execute("COMMIT")
        thread.join(30)
        assert not errors and not thread.is_alive()
    return blocked


def test_without_concurrently_the_index_build_blocks_writers(
    db_at: Callable[[int], ServerInfo],
) -> None:
    original, mutant = _pair("PRF_002", "004_post_slugs_and_comment_hygiene.up.sql")
    results = {}
    for label, sql in (("original", original), ("mutant", mutant)):
        server = db_at(3)
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute("INSERT INTO users (email, username) VALUES ('a@x', 'alice')")
            conn.execute("ALTER TABLE posts ADD COLUMN slug text")
        statement = _statement(sql, "CREATE UNIQUE INDEX")
        results[label] = _writers_blocked_while_building(server, statement)
    assert results == {"original": False, "mutant": True}


def _largest_update(server: ServerInfo, folder: Path) -> int:
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO users (email, username) VALUES ('a@x', 'alice');"
            "INSERT INTO posts (user_id, title) SELECT id, 'p' || g FROM users,"
            " generate_series(1, 2100) g;"
            "CREATE TABLE batch_log (n int);"
            "CREATE FUNCTION log_batch() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN INSERT INTO batch_log SELECT count(*) FROM new_rows; RETURN NULL; END $$;"
            "CREATE TRIGGER log AFTER UPDATE ON posts REFERENCING NEW TABLE AS new_rows"
            " FOR EACH STATEMENT EXECUTE FUNCTION log_batch()"
        )
        MigrationRunner(conn, folder).up(target=4)
        row = conn.execute("SELECT max(n) FROM batch_log").fetchone()
    return int(row[0]) if row else 0


def test_unbatched_backfill_updates_every_row_in_one_statement(
    db_at: Callable[[int], ServerInfo], tmp_path: Path
) -> None:
    name = "004_post_slugs_and_comment_hygiene.up.sql"
    original, mutant = _pair("PRF_003", name)
    assert _largest_update(db_at(3), _folder_with(tmp_path, name, original)) == 1000
    assert _largest_update(db_at(3), _folder_with(tmp_path, name, mutant)) == 2100


def _rows_scanned_under_the_add_lock(server: ServerInfo, statement: str) -> tuple[int, str]:
    with psycopg.connect(server.url, autocommit=True) as setup:
        setup.execute(
            "INSERT INTO users (email, username) VALUES ('a@x', 'alice');"
            "INSERT INTO posts (user_id, title)"
            " SELECT id, 'p' FROM users, generate_series(1, 2000);"
            "ALTER TABLE posts ADD COLUMN slug text; UPDATE posts SET slug = id::text"
        )
    with psycopg.connect(server.url) as conn:  # fresh session: its counters start at zero
        conn.execute(statement.encode())
        row = conn.execute(
            "SELECT s.seq_tup_read, l.mode FROM pg_stat_xact_user_tables s JOIN pg_locks l"
            " ON l.relation = s.relid AND l.pid = pg_backend_pid() AND l.granted"
            " WHERE s.relname = 'posts' AND l.mode = 'AccessExclusiveLock'"
        ).fetchone()
        conn.rollback()
    assert row is not None
    return int(row[0]), str(row[1])


def test_validating_at_once_scans_the_table_under_an_exclusive_lock(
    db_at: Callable[[int], ServerInfo],
) -> None:
    original, mutant = _pair("PRF_004", "004_post_slugs_and_comment_hygiene.up.sql", "posts")
    before = _rows_scanned_under_the_add_lock(
        db_at(3), _statement(original, "ALTER TABLE posts ADD CONSTRAINT")
    )
    after = _rows_scanned_under_the_add_lock(
        db_at(3), _statement(mutant, "ALTER TABLE posts ADD CONSTRAINT")
    )
    assert before == (0, "AccessExclusiveLock")
    assert after == (2000, "AccessExclusiveLock")


def test_without_the_guard_lock_waits_are_unbounded(db_at: Callable[[int], ServerInfo]) -> None:
    original, mutant = _pair("PRF_005", "005_user_stats.up.sql")
    settings: dict[str, Any] = {}
    for label, sql in (("original", original), ("mutant", mutant)):
        with psycopg.connect(db_at(4).url) as conn:
            conn.execute(sql.encode())
            row = conn.execute("SELECT current_setting('lock_timeout')").fetchone()
            settings[label] = row[0] if row else None
            conn.rollback()
    assert settings == {"original": "5s", "mutant": "0"}
