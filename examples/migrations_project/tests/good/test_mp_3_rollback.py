"""Every down migration undoes its up migration: schema and data."""

from __future__ import annotations

from pgtdd.migrations.data_validator import DataValidator
from pgtdd.migrations.fixtures import MigratedDatabase
from pgtdd.migrations.runner import MigrationRunner
from pgtdd.migrations.snapshot import SchemaSnapshotter


def test_each_down_restores_the_previous_schema(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        snapshotter = SchemaSnapshotter(conn)
        versions = [m.version for m in runner.discover()]
        after_down = {versions[-1]: snapshotter.capture()}
        for version in reversed([0, *versions[:-1]]):
            runner.down()
            after_down[version] = snapshotter.capture()
        left = {
            section: sorted(objects)
            for section, objects in after_down[0].to_dict().items()
            if objects and section not in ("extensions", "schemas")
        }
        extensions = set(after_down[0]["extensions"])
        schemas = set(after_down[0]["schemas"])
        assert not left and extensions == {"plpgsql"} and schemas == {"public"}, (
            f"down to 0 leaves {left} {extensions} {schemas}"
        )
        for version in versions:
            runner.up(target=version)
            diff = after_down[version].diff(snapshotter.capture())
            assert diff.is_empty, f"after up to {version}, down and up differ:\n{diff}"


def test_down_restores_the_data_the_up_changed(migrated_db: MigratedDatabase) -> None:
    with migrated_db.connect(autocommit=True) as conn:
        runner = MigrationRunner(conn, migrated_db.migrations_dir)
        runner.down(target=4)
        conn.execute(
            "INSERT INTO users (email, username, display_name) VALUES"
            " ('a@example.com', 'alice', NULL), ('b@example.com', 'bobby', 'Bob B.')"
        )
        validator = DataValidator(conn)
        before = validator.capture()
        runner.up()
        runner.down()
        check = validator.check_unchanged(before)
    assert check.passed, f"data after up+down differs: {check.details}"
