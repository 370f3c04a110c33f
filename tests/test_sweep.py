"""The session-start sweep of half-made databases (pgtdd.databases.sweep), on a real server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from pgtdd.databases.janitor import DatabaseJanitor, owner_comment
from pgtdd.databases.sweep import building_target, live_runs, lock_key, sweep_half_made
from pgtdd.providers.ownership import PID_LABEL
from pgtdd.serverinfo import ServerInfo


def hexes(n: int) -> str:
    return uuid.uuid4().hex[:n]


@pytest.fixture
def janitor(pgtdd_server: ServerInfo) -> Iterator[DatabaseJanitor]:
    with DatabaseJanitor(pgtdd_server) as janitor:
        yield janitor


def dead_owner() -> str:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return json.dumps({**json.loads(owner_comment()), PID_LABEL: str(dead.pid)})


def test_building_target_names_the_template_a_staging_database_was_for() -> None:
    assert building_target("pgtdd_tpl_0123456789abcdef_build_0123456789ab") == (
        "pgtdd_tpl_0123456789abcdef"
    )
    assert building_target("pgtdd_mt_0123456789ab_003_b_0123456789ab") == (
        "pgtdd_mt_0123456789ab_003"
    )
    assert building_target("pgtdd_tpl_0123456789abcdef") is None
    assert building_target("pgtdd_mt_0123456789ab_003_0b0123456789") is None


def test_sweep_drops_half_made_and_dead_runs_keeps_live_and_locked(
    janitor: DatabaseJanitor, pgtdd_server: ServerInfo
) -> None:
    tpl = f"pgtdd_tpl_{hexes(16)}"
    chain = f"pgtdd_mt_{hexes(12)}_004"
    names = {
        "half_built": f"{tpl}_build_{hexes(12)}",
        "half_built_chain": f"{chain}_b_{hexes(12)}",
        "locked_build": f"pgtdd_tpl_{hexes(16)}_build_{hexes(12)}",
        "dead_mutation": f"pgtdd_mr_{hexes(8)}_base",
        "dead_mutation_clone": f"{chain}_{hexes(12)}",
        "live_mutation": f"pgtdd_mr_{hexes(8)}_base",
        "complete_chain_of_the_dead": chain,
    }
    for name in names.values():
        janitor.create(name)
    for key in ("dead_mutation", "dead_mutation_clone", "complete_chain_of_the_dead"):
        janitor.set_comment(names[key], dead_owner())
    holder = psycopg.connect(pgtdd_server.url_for("postgres"), autocommit=True)
    target = building_target(names["locked_build"])
    holder.execute("SELECT pg_advisory_lock(hashtext(%s))", (lock_key(str(target)),))
    try:
        dropped = set(sweep_half_made(janitor))
        for key in ("half_built", "half_built_chain", "dead_mutation", "dead_mutation_clone"):
            assert names[key] in dropped and not janitor.exists(names[key]), key
        for key in ("locked_build", "live_mutation", "complete_chain_of_the_dead"):
            assert names[key] not in dropped and janitor.exists(names[key]), key
    finally:
        holder.close()
        for name in names.values():
            janitor.drop(name)


def test_each_project_keeps_its_newest_templates(janitor: DatabaseJanitor) -> None:
    project = f"/tmp/project-{hexes(8)}"
    templates = [f"pgtdd_tpl_{hexes(16)}" for _ in range(6)]
    now = time.time()
    owner = json.loads(owner_comment())
    for age, name in enumerate(templates):  # templates[0] is the newest
        janitor.create(name)
        comment = {**owner, "project": project, "used": now - age * 60}
        janitor.set_comment(name, json.dumps(comment))
    stale = f"pgtdd_tpl_{hexes(16)}"  # another project's, unused for 30 days
    janitor.create(stale)
    janitor.set_comment(stale, json.dumps({**owner, "project": "gone", "used": now - 30 * 86400}))
    try:
        dropped = set(sweep_half_made(janitor, keep=3, current=[templates[5]]))
        assert {templates[3], templates[4], stale} <= dropped
        assert all(janitor.exists(name) for name in templates[:3])
        assert janitor.exists(templates[5])  # the one this session uses
    finally:
        for name in [*templates, stale]:
            janitor.drop(name)


def test_live_runs_names_the_sessions_using_a_server(janitor: DatabaseJanitor) -> None:
    import os

    mine, dead = f"pgtdd_run_{hexes(8)}_main_1", f"pgtdd_run_{hexes(8)}_main_2"
    janitor.create(mine)  # the janitor writes this process as the owner
    janitor.create(dead)
    janitor.set_comment(dead, dead_owner())
    try:
        found = dict(live_runs(janitor))
        assert found[mine] == os.getpid() and dead not in found
    finally:
        janitor.drop(mine)
        janitor.drop(dead)
