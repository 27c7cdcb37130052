"""Runs NegMAS 0.16.0's bilateral SAOMechanism on the Genius domains, for Truce's conformance test and benchmark.

Two modes:

- `reference DATA OUT MAX_OUTCOMES`: for every bilateral, then every 3-party, domain under DATA/domains with
  at most MAX_OUTCOMES outcomes and a NegMAS-variant reference (pools reduced to their first three profiles,
  as the references were), every assignment of the time-based agents (Boulware, Linear, Conceder;
  `BoulwareTBNegotiator` etc., deterministic) to the parties, n_steps = 100, discounting ignored. Writes one JSON
  document to OUT: per negotiation the agreement (issue name -> value), NegMAS's final `state.step`, the
  number of offers in the trace, the agreement's utilities, and every offer's utilities to both parties (the
  first agent offers first; with three parties, `makers` says who made each offer). Written by `cargo xtask simulate-reference`.
- `bench DATA REPS SLUG...`: times the same pairings on the given domains (mechanism and negotiators built
  fresh for every negotiation, as a tournament does; loading excluded) and prints one JSON line per domain:
  negotiations, seconds. Run by `cargo xtask bench-simulate`.
"""

import itertools
import json
import sys
import time
from pathlib import Path

import negmas
from negmas.inout import Scenario
from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator, SAOMechanism

AGENTS = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator, "conceder": ConcederTBNegotiator}
STEPS = 100


def load(data: Path, slug: str):
    ref = json.loads((data / "reference" / f"{slug}.json").read_text())
    folder = data / "domains" / slug
    if ref.get("profiles_subset_first3_of_pool"):
        # A pool of profiles: the first three, as the references were computed.
        name = lambda p: folder / Path(p).name
        scenario = Scenario.from_genius_files(
            domain=name(ref["domain_file"]), ufuns=[name(p) for p in ref["profile_files"]], ignore_discount=True
        )
    else:
        scenario = Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False)
    return ref, scenario


def negotiate(scenario, *agents: str):
    mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=STEPS)
    for i, agent in enumerate(agents):
        mechanism.add(AGENTS[agent](name=f"p{i}"), ufun=scenario.ufuns[i])
    state = mechanism.run()
    return mechanism, state


def reference(data: Path, out: Path, max_outcomes: int) -> None:
    runs = []
    for parties in (2, 3):
        for ref_path in sorted((data / "reference").glob("*.json")):
            ref = json.loads(ref_path.read_text())
            if len(ref["profile_files"]) != parties or "negmas" not in ref.get("variants", {}):
                continue
            if ref["outcome_space_size"] > max_outcomes:
                continue
            slug = ref["scenario"]
            _, scenario = load(data, slug)
            issues = [i.name for i in scenario.outcome_space.issues]
            for agents in itertools.product(AGENTS, repeat=parties):
                mechanism, state = negotiate(scenario, *agents)
                agreement = state.agreement
                ids = list(mechanism.negotiator_ids)
                run = {
                    "scenario": slug,
                    "agents": list(agents),
                    "agreement": None if agreement is None else dict(zip(issues, [str(v) for v in agreement])),
                    "step": state.step,
                    "offers": len(mechanism.full_trace),
                    "utilities": None if agreement is None else [float(u(agreement)) for u in scenario.ufuns],
                    "trace": [[float(u(t.offer)) for u in scenario.ufuns] for t in mechanism.full_trace],
                }
                if parties > 2:
                    # Who made each offer (with two parties they alternate, the first agent first).
                    run["makers"] = [ids.index(t.negotiator) for t in mechanism.full_trace]
                runs.append(run)
            print(slug, file=sys.stderr, flush=True)
    document = {
        "negmas_version": negmas.__version__,
        "mechanism": f"SAOMechanism(n_steps={STEPS}), defaults otherwise",
        "agents": list(AGENTS),
        "max_outcomes": max_outcomes,
        "load": "Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False)",
        "runs": runs,
    }
    # One run per line, so that a regenerated file diffs run by run.
    head = json.dumps({k: v for k, v in document.items() if k != "runs"})[:-1]
    lines = ",\n".join(json.dumps(run, separators=(",", ":")) for run in runs)
    out.write_text(f'{head}, "runs": [\n{lines}\n]}}\n')


def bench(data: Path, reps: int, slugs: list[str]) -> None:
    for slug in slugs:
        _, scenario = load(data, slug)
        runs = 0
        start = time.perf_counter()
        for _ in range(reps):
            for first in AGENTS:
                for second in AGENTS:
                    negotiate(scenario, first, second)
                    runs += 1
        seconds = time.perf_counter() - start
        print(json.dumps({"scenario": slug, "negotiations": runs, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "reference":
        reference(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        bench(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
