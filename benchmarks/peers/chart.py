"""The peer comparison as a PNG: wall time per suite size, and per-test overhead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

_PLAIN = FuncFormatter(lambda value, _: f"{value:g}")
COLORS = {"pgtdd": "#2a9d8f", "pytest-postgresql": "#e76f51", "testcontainers": "#457b9d"}


def draw(result: dict[str, Any], out: Path) -> None:
    """Two panels: whole-process wall time per suite size, per-test overhead."""
    approaches = list(result["approaches"])
    sizes = [str(n) for n in result["sizes"]]
    fig, (walls, overhead) = plt.subplots(1, 2, figsize=(10, 4), dpi=110)
    width = 0.8 / len(approaches)
    for i, approach in enumerate(approaches):
        entry = result["approaches"][approach]
        xs = [j + i * width for j in range(len(sizes))]
        values = [entry["wall_s"][n] for n in sizes]
        bars = walls.bar(xs, values, width, label=approach, color=COLORS.get(approach))
        walls.bar_label(bars, labels=[f"{v:.1f}" for v in values], fontsize=8)
    walls.set_xticks([j + width * (len(approaches) - 1) / 2 for j in range(len(sizes))])
    walls.set_xticklabels([f"{n} tests" for n in sizes])
    walls.set_yscale("log")
    walls.set_ylim(bottom=0.5)
    walls.yaxis.set_major_formatter(_PLAIN)
    walls.set_ylabel("whole pytest process, seconds (median, log scale)")
    walls.set_title("Suite wall time, cold start included")
    walls.legend(fontsize=8)
    per_test = [result["approaches"][a].get("per_test_ms", 0.0) for a in approaches]
    bars = overhead.bar(approaches, per_test, color=[COLORS.get(a) for a in approaches])
    overhead.bar_label(bars, labels=[f"{v:.1f}" for v in per_test], fontsize=8)
    overhead.set_yscale("log")
    overhead.set_ylim(bottom=0.5)
    overhead.yaxis.set_major_formatter(_PLAIN)
    overhead.set_ylabel("ms per additional test (log scale)")
    overhead.set_title("Per-test overhead")
    overhead.tick_params(axis="x", labelsize=8)
    machine = result.get("machine", {})
    fig.suptitle(
        f"{machine.get('cpus', '?')} cores, {machine.get('postgres', 'PostgreSQL ?')}, "
        f"image {machine.get('image', '?')}, medians of {result.get('runs', '?')} runs",
        fontsize=9,
    )
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


if __name__ == "__main__":
    import json
    import sys

    source = Path(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results/latest.json"
    )
    target = Path(
        sys.argv[2]
        if len(sys.argv) > 2
        else Path(__file__).parents[2] / "docs/performance_peers.png"
    )
    draw(json.loads(source.read_text()), target)
    print(f"chart: {target}")
