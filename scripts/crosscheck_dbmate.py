"""Cross-check with the real dbmate: it reads what pgtdd applied, and pgtdd reads what it applied.

    npm install --prefix /tmp/dbmate-tool dbmate      # the registry package ships the binary
    python scripts/crosscheck_dbmate.py [--dbmate /tmp/dbmate-tool/node_modules/.bin/dbmate]

On the dbmate sample (tests/migrations/samples/dbmate), on databases of their own: pgtdd applies,
then ``dbmate status`` / ``up`` / ``rollback`` run; dbmate applies, then pgtdd reads and goes on;
dbmate alone on the multi-section file. Prints each command and its output.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pgtdd.config.settings import resolve_settings  # noqa: E402
from pgtdd.databases.janitor import DatabaseJanitor, unique_name  # noqa: E402
from pgtdd.providers.base import make_provider  # noqa: E402

SAMPLE = ROOT / "tests" / "migrations" / "samples" / "dbmate"
PGTDD = Path(sys.executable).parent / "pgtdd"


def run(label: str, command: list[str]) -> int:
    done = subprocess.run(command, capture_output=True, text=True)
    print(f"$ {label} -> exit {done.returncode}\n{(done.stdout + done.stderr).strip()}\n")
    return done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dbmate", default="/tmp/dbmate-tool/node_modules/.bin/dbmate")
    args = parser.parse_args()

    def dbmate(url: str, folder: Path, *words: str) -> int:
        base = [args.dbmate, "--url", f"{url}?sslmode=disable", "--migrations-dir", str(folder)]
        return run("dbmate " + " ".join(words), [*base, "--no-dump-schema", *words])

    def pgtdd(url: str, folder: Path, action: str) -> int:
        return run(f"pgtdd migrate {action}", [str(PGTDD), "migrate", action, str(folder),
                                               "--url", url])  # fmt: skip

    provider = make_provider(resolve_settings().profile)
    server = provider.start()
    try:
        with DatabaseJanitor(server) as janitor, tempfile.TemporaryDirectory() as tmp:
            a, b, c = (janitor.create(unique_name("cross")) for _ in range(3))
            print("== pgtdd applies, dbmate reads\n")
            pgtdd(a.url, SAMPLE, "up")
            dbmate(a.url, SAMPLE, "status")
            dbmate(a.url, SAMPLE, "up")
            dbmate(a.url, SAMPLE, "rollback")
            pgtdd(a.url, SAMPLE, "status")
            print("== dbmate applies, pgtdd reads and goes on\n")
            single = Path(tmp) / "m"
            single.mkdir()
            for name in ("20200101000000_create_items.sql", "20200102000000_index_items.sql"):
                shutil.copy(SAMPLE / name, single / name)
            dbmate(b.url, single, "up")
            pgtdd(b.url, single, "status")
            shutil.copy(SAMPLE / "20200103000000_prices.sql", single)
            pgtdd(b.url, single, "up")
            dbmate(b.url, single, "status")
            print("== dbmate alone on the multi-section file\n")
            dbmate(c.url, SAMPLE, "up")
            for database in (a, b, c):
                janitor.drop(database.database)
    finally:
        provider.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
