"""The mutation-testing driver (tools/mutation.py) and its test-order plugin, on a tiny project.

`make mutation` takes most of an hour, so what it decides is checked here on a few lines of code
whose outcome is known: which survivor a recheck kills, keeps or cannot judge, and in which order
a mutant's tests run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_driver", TOOLS / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODULE = """\
def add(a, b):
    return a + b


def double(a):
    return a * 2


def half(a):
    return a / 2
"""

TESTS = """\
from tiny import add, double, half


def test_add():
    assert add(2, 3) == 5


def test_double():
    assert double(2) == 4


def test_half():
    assert half(4) == 2
"""


def survivor(name: str, old: str, new: str) -> dict:
    removed = "".join(f"\n-{line}" for line in old.splitlines())
    added = "".join(f"\n+{line}" for line in new.splitlines())
    diff = f"--- src/tiny.py\n+++ src/tiny.py\n@@ -1,1 +1,1 @@{removed}{added}"
    return {"mutant": name, "status": "survived", "function": name, "change": "", "diff": diff}


@pytest.fixture
def project(tmp_path, mutation, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tiny.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_tiny.py").write_text(TESTS, encoding="utf-8")
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    # the looping mutant is stopped after twice the clean run plus 2 s, not 5x plus 30 s
    monkeypatch.setattr(mutation, "RECHECK_TIMES", 2)
    monkeypatch.setattr(mutation, "RECHECK_GRACE_S", 2)
    return {"path": "src/tiny.py", "tests": ["tests/test_tiny.py"]}


def test_recheck_kills_keeps_and_times_out_as_mutmut_would(mutation, project):
    last = {
        "killed": 10,
        "survivors": [
            # a test now fails: killed
            survivor("add", "    return a + b", "    return a - b"),
            # 2 * 2 == 2 + 2: no test can tell, still a survivor
            survivor("double", "    return a * 2", "    return a + 2"),
            # loops for ever: stopped and counted killed (mutmut's "timeout")
            survivor("half", "    return a / 2", "    while True:\n        pass"),
            # the code has changed since: left as it was, marked
            survivor("gone", "    return a % 2", "    return a // 2"),
        ],
    }
    result = mutation.recheck("tiny", project, last)
    assert result["killed"] == 12
    assert [(s["mutant"], s["status"]) for s in result["survivors"]] == [
        ("double", "survived"),
        ("gone", "survived (diff no longer applies)"),
    ]
    # the module is left as it was, whatever the mutants did
    assert (mutation.ROOT / "src" / "tiny.py").read_text(encoding="utf-8") == MODULE


def test_recheck_stops_when_pytest_proves_nothing(mutation, project):
    # a mutant that breaks the test module's import: pytest exits 2 (collection error), which
    # says nothing about the mutant, so it is neither killed nor kept
    broken = survivor("add", "def add(a, b):", "def add(a, b)")
    with pytest.raises(SystemExit, match=r"exit 2 on add, neither a pass nor a failing test"):
        mutation.recheck("tiny", project, {"killed": 0, "survivors": [broken]})


def test_recheck_refuses_tests_that_fail_unmutated(mutation, project):
    tests = mutation.ROOT / "tests" / "test_tiny.py"
    tests.write_text(TESTS.replace("== 5", "== 6"), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"the tests fail without any mutant \(exit 1\)"):
        mutation.recheck("tiny", project, {"killed": 0, "survivors": []})


ORDER_TESTS = """\
from pathlib import Path


def _ran(name):
    with Path("order.txt").open("a") as f:
        f.write(name + "\\n")


def test_slow():
    _ran("slow")


def test_fast():
    _ran("fast")


def test_untimed():
    _ran("untimed")


def test_middle():
    _ran("middle")
"""


def _order(folder: Path) -> list[str]:
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "mutation_test_order", "-p", "no:cacheprovider",
         "tests/test_order.py"],
        cwd=folder,
        check=True,
        capture_output=True,
        # the plugin alone: no other plugin's start-up (hypothesis, nbval) in these two runs
        env={**os.environ, "PYTHONPATH": str(TOOLS), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    ran = (folder / "order.txt").read_text(encoding="utf-8").split()
    (folder / "order.txt").unlink()
    return ran


def test_each_mutants_tests_run_fastest_first(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_order.py").write_text(ORDER_TESTS, encoding="utf-8")
    # the clean run has not happened yet: the order of the file
    assert _order(tmp_path) == ["slow", "fast", "untimed", "middle"]
    durations = {
        "tests/test_order.py::test_slow": 6.7,
        "tests/test_order.py::test_fast": 0.01,
        "tests/test_order.py::test_middle": 0.4,
    }
    stats = {"tests_by_mangled_function_name": {}, "duration_by_test": durations}
    (tmp_path / "mutmut-stats.json").write_text(json.dumps(stats), encoding="utf-8")
    # a test the clean run did not time counts as the slowest (ties keep the file's order)
    assert _order(tmp_path) == ["fast", "middle", "slow", "untimed"]


def test_an_accepted_survivor_is_not_run_again(mutation, project, monkeypatch):
    # a full mutmut run of the tiny project, where `a + b` -> `a - b` is "accepted": a test
    # would kill it, so its status can only be "not run again" if it was indeed not run
    root = mutation.ROOT
    (root / "pyproject.toml").write_text('[project]\nname = "tiny"\nversion = "0"\n')
    (root / "accepted").mkdir()
    (root / "accepted" / "tiny.toml").write_text(
        '[[survivor]]\nmodule = "tiny"\nfunction = "add"\n'
        "change = '''\n-    return a + b\n+    return a - b\n'''\n"
        'reason = "accepted here to show that it is not run"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(mutation, "ACCEPTED", root / "accepted")
    monkeypatch.setattr(mutation, "OUT", root / "mutation")
    (root / "mutation").mkdir()
    result = mutation.run_module("tiny", project, jobs=2)
    # mutmut makes 5 mutants: a - b; a / 2 and a * 3 (double(2) == 4); a * 2 and a / 3
    # (half(4) == 2): the 4 run are killed
    assert result["counts"] == {"survived (accepted, not run again)": 1, "killed": 4}
    (survivor,) = result["survivors"]
    assert (survivor["function"], survivor["change"]) == ("add", "- return a + b\n+ return a - b")
