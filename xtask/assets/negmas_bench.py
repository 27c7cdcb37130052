"""Times NegMAS 0.16.0 on the reference scenarios, as the reference generator did.

For each reference file given on the command line: load the scenario folder (pools reduced to their first
three profiles, as the references were), enumerate the outcome space, then time the Pareto frontier and the
Nash, KS, Kalai and max-welfare points (loading and enumeration excluded). Prints one JSON line per scenario
with the median of the runs. Written for `cargo xtask bench-table`.
"""

import json
import statistics
import sys
import time
from pathlib import Path

from negmas.inout import Scenario
from negmas.preferences.ops import kalai_points, ks_points, max_welfare_points, nash_points, pareto_frontier


def load(data: Path, ref: dict):
    folder = data / "domains" / ref["scenario"]
    if ref.get("profiles_subset_first3_of_pool"):
        name = lambda p: folder / Path(p).name
        return Scenario.from_genius_files(
            domain=name(ref["domain_file"]), ufuns=[name(p) for p in ref["profile_files"]], ignore_discount=True
        )
    return Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False)


def main() -> None:
    data = Path(sys.argv[1])
    reps_small, reps_large = int(sys.argv[2]), int(sys.argv[3])
    for path in sys.argv[4:]:
        ref = json.loads(Path(path).read_text())
        scenario = load(data, ref)
        ufuns = scenario.ufuns
        outcomes = list(scenario.outcome_space.enumerate_or_sample())
        reps = reps_small if len(outcomes) < 1_000_000 else reps_large
        runs = []
        frontier_size = 0
        for _ in range(reps):
            start = time.perf_counter()
            frontier, _ = pareto_frontier(ufuns, outcomes=outcomes)
            ranges = [u.minmax(scenario.outcome_space, above_reserve=False) for u in ufuns]
            for points in (nash_points, ks_points, kalai_points, max_welfare_points):
                points(ufuns, frontier, ranges=ranges)
            runs.append(time.perf_counter() - start)
            frontier_size = len(frontier)
        print(json.dumps({"scenario": ref["scenario"], "seconds": statistics.median(runs), "runs": runs, "frontier": frontier_size}), flush=True)


if __name__ == "__main__":
    main()
