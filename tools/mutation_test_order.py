"""pytest plugin for mutation runs: each mutant's tests run fastest first.

mutmut runs, for each mutant, the tests that call the mutated function with `-x` (stop at the
first failure), but in no particular order. Most mutants are killed by the first test that
checks the changed line, so running the quick tests first saves most of the run: a mutant that
one 0.05 s test kills no longer waits for a 6 s property test that happened to come first.
Durations are those mutmut measured in its first (clean) run, `mutmut-stats.json`; before it
exists (that clean run itself) the order is left alone. Copied into each work folder by
tools/mutation.py and loaded with `-p`; never loaded by `make test`.
"""

from __future__ import annotations

import json
from pathlib import Path


def pytest_collection_modifyitems(session, config, items) -> None:
    stats = Path("mutmut-stats.json")  # the work folder's mutants/, the tests' cwd
    if not stats.exists():
        return
    durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    unknown = max(durations.values(), default=0.0)  # a test not timed is assumed slow
    items.sort(key=lambda item: durations.get(item.nodeid, unknown))
