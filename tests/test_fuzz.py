"""Mutation fuzzing in the suite: 1,000 deterministic cases of `tests/fuzz.py` per run (every
kind of input, every command that reads files), and every case once found failing, replayed.

`make fuzz` runs the same harness at length (FUZZ_CASES=100000); FUZZ_CASES and FUZZ_SEED work
here too. A failing case found there is copied from fuzz-failures/ into tests/fixtures/fuzz/.
"""

from __future__ import annotations

import os
from pathlib import Path

import fuzz
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "fuzz"
CASES = int(os.environ.get("FUZZ_CASES", "1000"))
SEED = int(os.environ.get("FUZZ_SEED", "1"))


def _describe(failures) -> str:
    lines = []
    for case, outcome in failures[:10]:
        last = (outcome.output.strip().splitlines() or [""])[-1]
        lines.append(
            f"case {case.index} ({case.seed_name}, {', '.join(case.mutations)}): "
            f"{' '.join(case.argv)} -> exit {outcome.code}: {last}"
        )
    return "\n".join(lines)


JOBS = int(os.environ.get("FUZZ_JOBS", "2"))  # one process a core: the cases are CPU-bound


def test_mutated_inputs_end_in_exit_0_or_1_in_plain_words(tmp_path):
    import multiprocessing

    keep = tmp_path / "failures"
    with multiprocessing.get_context("spawn").Pool(JOBS) as pool:
        parts = pool.starmap(fuzz._part, [(CASES, SEED, keep, (k, JOBS)) for k in range(JOBS)])
    failures = sorted((f for part in parts for f in part[0]), key=lambda f: f[0].index)
    commands: dict[str, int] = {}
    for part in parts:
        for name, n in part[1].items():
            commands[name] = commands.get(name, 0) + n
    assert sorted(commands) == ["build", "check", "ingest", "table"]
    assert sum(commands.values()) == CASES
    assert not failures, f"{len(failures)} failing case(s), kept in {keep}:\n" + _describe(failures)


def test_cases_are_the_same_on_every_run(tmp_path):
    seeds = {n: p.read_bytes() for n, p in fuzz.write_seeds(tmp_path / "one").items()}
    first = [fuzz.make_case(SEED, i, seeds) for i in range(40)]
    seeds = {n: p.read_bytes() for n, p in fuzz.write_seeds(tmp_path / "two").items()}
    again = [fuzz.make_case(SEED, i, seeds) for i in range(40)]
    assert [(c.seed_name, c.mutations, c.data, c.argv) for c in first] == [
        (c.seed_name, c.mutations, c.data, c.argv) for c in again
    ]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return fuzz.write_seeds(tmp_path_factory.mktemp("seeds"))


@pytest.mark.parametrize(
    "case", sorted(p.name for p in FIXTURES.iterdir() if (p / "case.json").is_file())
)
def test_failing_cases_found_once_stay_fixed(case, seeds):
    outcome = fuzz.replay(FIXTURES / case, seeds)
    assert outcome.code in (0, 1), outcome.output
    assert not fuzz.FORBIDDEN.search(outcome.output), outcome.output
