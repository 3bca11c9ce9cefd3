"""Mutation testing on demand (`make mutation`): mutmut 3 over the modules that decide numbers.

For each module of `tools/mutation_modules.toml` (all, or those named on the command line) this
copies src/, tests/, data/ and notebooks/ into `mutation/work/<module>/`, adds a `[tool.mutmut]`
section that mutates only that module and selects only its test files, and runs `mutmut run`
there. mutmut first runs those tests once to learn which tests call each function, then runs, for
each mutant, only those tests, fastest first (tools/mutation_test_order.py), stopping at the
first failure. Survivors already accepted are not run again (see `seed_accepted`). The worktree
itself is never touched.

The report, `mutation/report.md` (generated, not committed), gives per module the mutants, the
killed, the survivors and the kill rate, and lists every survivor with its diff and, where
`tools/mutation_survivors/<module>.toml` accepts it, the one-line reason it is equivalent or harmless.
Survivors are matched by module, function and the changed lines, not by mutmut's numbering, so an
accepted survivor stays accepted when other code of the function changes.

Usage: tools/mutation.py [MODULE ...] [--jobs N] [--rerun-accepted] [--recheck]   (figures of
modules not run are kept from the previous run in mutation/results.json)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "tools" / "mutation_modules.toml"
ACCEPTED = ROOT / "tools" / "mutation_survivors"  # <module>.toml each
OUT = ROOT / "mutation"
COPIED = ("src", "tests", "data", "notebooks")
# a rechecked mutant may take this many times the clean tests' time, plus this many seconds
RECHECK_TIMES, RECHECK_GRACE_S = 5, 30
ORDER_PLUGIN = ROOT / "tools" / "mutation_test_order.py"
# Killed: a test failed (or the mutant hung and was stopped). Everything else counts against.
KILLED = {"killed", "timeout", "caught by type check"}


def mutmut_section(module_path: str, tests: list[str]) -> str:
    lines = [
        "",
        "[tool.mutmut]",
        'source_paths = ["src/"]',
        f"only_mutate = [{json.dumps(module_path)}]",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        # paths.REPO_ROOT is mutants/ when the tests run: the reference data must be there
        f'also_copy = ["data/", "notebooks/", "{ORDER_PLUGIN.name}"]',
        # the same examples on every run, so a mutant is never killed or spared by chance; each
        # mutant's tests fastest first (mutmut stops at the first failure)
        'pytest_add_cli_args = ["-m", "not slow", "-p", "no:cacheprovider", '
        f'"--hypothesis-seed=0", "-p", "{ORDER_PLUGIN.stem}"]',
        # a mutant that loops is stopped after 5x (not mutmut's 15x) the wall time its tests
        # took in the clean run, plus 1 s (twice that in CPU time): a looping mutant of forms
        # held a worker for 2 minutes
        "timeout_multiplier = 5.0",
        "use_git_change_detection = false",
        "",
    ]
    return "\n".join(lines)


def prepare(name: str, spec: dict) -> Path:
    work = OUT / "work" / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for folder in COPIED:
        if (ROOT / folder).exists():
            shutil.copytree(
                ROOT / folder,
                work / folder,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints"),
            )
    shutil.copy(ORDER_PLUGIN, work / ORDER_PLUGIN.name)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(
        pyproject + mutmut_section(spec["path"], spec["tests"]), encoding="utf-8"
    )
    return work


def mutmut_run(work: Path, jobs: int, log) -> None:
    """`mutmut run` in `work`, its output in `log`; whether it could run the tests is judged from
    that output (its exit code says only whether mutants survived)."""
    subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", str(jobs)],
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


_DIFF_LINE = re.compile(r"^[-+](?![-+]{2} )")


def changed_lines(diff: str) -> str:
    """The removed and added lines of a mutant's diff, whitespace-normalised: its identity."""
    lines = [" ".join(line.split()) for line in diff.splitlines() if _DIFF_LINE.match(line)]
    return "\n".join(lines)


def function_of(mutant: str) -> str:
    # kpi_utils.cells.x_parse_count__mutmut_12 -> parse_count;
    # kpi_utils.x_ǁClassǁmethod__mutmut_3 -> Class.method
    last = mutant.rsplit(".", 1)[-1]
    last = re.sub(r"__mutmut_\d+$", "", last)
    last = re.sub(r"^x_", "", last)
    return last.replace("ǁ", ".").strip(".")


ACCEPTED_NOT_RUN = "survived (accepted, not run again)"


def seed_accepted(name: str, jobs: int, folder: Path | None = None) -> None:
    """Inside a module's work folder: make the mutants as `mutmut run` does, then record every
    mutant that tools/mutation_survivors/ accepts as surviving, so that the run does not test it
    again (`accepted.json` lists them).

    A survivor costs every test that calls its function (24 s of tests for most of aggregate's
    functions, against 0.3 s for a killed mutant); an accepted one has been run and shown to
    survive, and it still counts as not killed, so skipping it cannot raise the kill rate.
    `--rerun-accepted` runs them all, and `--recheck` re-tests them against newer tests. mutmut
    (pinned by the lock) keeps a result already in its .meta file for a function whose code is
    unchanged; that is how the run leaves these alone.
    """
    from mutmut.__main__ import create_mutants
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.mutation.trampoline import set_mutant_under_test
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, walk_mutatable_files

    accepted = [e for e in load_accepted(folder) if e["module"] == name]
    functions = {e["function"] for e in accepted}
    Path("mutants").mkdir(exist_ok=True)
    set_mutant_under_test("mutant_generation")
    copy_src_dir()
    copy_also_copy_files()
    create_mutants(jobs)
    seeded = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for key in data.exit_code_by_key:
            if function_of(key) not in functions:
                continue
            mutant = {"function": function_of(key)}
            mutant["change"] = changed_lines(get_diff_for_mutant(key, path=path))
            if reason_for(name, mutant, accepted):
                data.exit_code_by_key[key] = 0
                seeded.append(key)
        data.save()
    Path("accepted.json").write_text(json.dumps(seeded), encoding="utf-8")


def collect() -> None:
    """Inside a work folder after `mutmut run`: every mutant's status, and the diff of every one
    not killed, as JSON on stdout (one process, where `mutmut show` took a second a mutant)."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    statuses, diffs = {}, {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for key, code in data.exit_code_by_key.items():
            statuses[key] = status_by_exit_code[code]
            if statuses[key] not in KILLED:
                diffs[key] = get_diff_for_mutant(key, path=path)
    print(json.dumps({"statuses": statuses, "diffs": diffs}))


def _inside(work: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, __file__, "--inside", *args],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {work}:\n{result.stdout}{result.stderr}")
    return result.stdout


def run_module(name: str, spec: dict, jobs: int, rerun_accepted: bool = False) -> dict:
    work = prepare(name, spec)
    started = time.monotonic()
    seeded: set[str] = set()
    if not rerun_accepted:
        _inside(work, "seed", name, str(ACCEPTED), "--jobs", str(jobs))
        seeded = set(json.loads((work / "accepted.json").read_text(encoding="utf-8")))
    with (OUT / f"{name}.log").open("w", encoding="utf-8") as log:
        mutmut_run(work, jobs, log)
    minutes = (time.monotonic() - started) / 60
    tail = (OUT / f"{name}.log").read_text(encoding="utf-8")[-3000:]
    if "failed to collect stats" in tail or "Traceback" in tail.splitlines()[-1:]:
        raise SystemExit(f"mutmut could not run the tests of {name}; see {OUT / name}.log")
    found = json.loads(_inside(work, "collect"))
    statuses = {k: ACCEPTED_NOT_RUN if k in seeded else v for k, v in found["statuses"].items()}
    survivors = [
        {
            "mutant": key,
            "status": status,
            "function": function_of(key),
            "change": changed_lines(found["diffs"][key]),
            "diff": found["diffs"][key].strip(),
        }
        for key, status in sorted(statuses.items())
        if status not in KILLED
    ]
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    return {
        "module": name,
        "path": spec["path"],
        "tests": spec["tests"],
        "minutes": round(minutes, 1),
        "total": len(statuses),
        "counts": counts,
        "killed": sum(counts.get(s, 0) for s in KILLED),
        "survivors": survivors,
    }


def _sides(diff: str) -> tuple[str, str]:
    old = [line[1:] for line in diff.splitlines() if _DIFF_LINE.match(line) and line[0] == "-"]
    new = [line[1:] for line in diff.splitlines() if _DIFF_LINE.match(line) and line[0] == "+"]
    return "\n".join(old) + "\n", "\n".join(new) + "\n"


def _pytest(work: Path, tests: list[str], timeout: float | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        # no pyproject.toml in the copy, so no --nbval addopts: nbval's import (2 s) is skipped
        [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider",
         "-p", "no:nbval", "--hypothesis-seed=0", *tests],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(work / "src"), "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip


def recheck(name: str, spec: dict, result: dict) -> dict:
    """Re-test the last run's survivors against the current tests, without a full mutmut run.

    The tests are run once unmutated (they must pass; their time sets the limit), then each
    survivor's diff is applied to a copy of the module (one at a time) and its test files are run
    again. Exit 1 (a test failed) or running past RECHECK_TIMES the clean time plus RECHECK_GRACE_S (it loops)
    kills it, as in mutmut; exit 0 leaves it a survivor; any other outcome (pytest could not run,
    a crash) stops the recheck with pytest's output, since it proves nothing about the mutant. A
    survivor whose diff no longer applies (the code changed) is left as it was.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kpi-mutation-") as tmp:
        work = Path(tmp)
        for folder in COPIED:
            if (ROOT / folder).exists():
                shutil.copytree(ROOT / folder, work / folder)
        module = work / spec["path"]
        original = module.read_text(encoding="utf-8")
        started = time.monotonic()
        clean = _pytest(work, spec["tests"], timeout=None)
        if clean.returncode != 0:
            raise SystemExit(
                f"recheck {name}: the tests fail without any mutant (exit {clean.returncode}):\n"
                + clean.stdout[-3000:]
            )
        limit = RECHECK_TIMES * (time.monotonic() - started) + RECHECK_GRACE_S
        kept = []
        for survivor in result["survivors"]:
            old, new = _sides(survivor["diff"])
            if original.count(old) != 1:
                kept.append({**survivor, "status": "survived (diff no longer applies)"})
                continue
            module.write_text(original.replace(old, new), encoding="utf-8")
            try:
                run = _pytest(work, spec["tests"], timeout=limit)
                code, output = run.returncode, run.stdout + run.stderr
            except subprocess.TimeoutExpired as stopped:
                code, output = "timeout", str(stopped.stdout or "")
            finally:
                module.write_text(original, encoding="utf-8")
            if code == 0:
                kept.append(survivor)
            elif code not in (1, "timeout"):
                raise SystemExit(
                    f"recheck {name}: pytest ended with exit {code} on {survivor['mutant']}, "
                    f"neither a pass nor a failing test:\n{output[-3000:]}"
                )
    killed = result["killed"] + len(result["survivors"]) - len(kept)
    print(f"  recheck: {len(result['survivors']) - len(kept)} more killed", flush=True)
    return {**result, "killed": killed, "survivors": kept, "rechecked": True}


def load_accepted(folder: Path | None = None) -> list[dict]:
    entries = []
    for path in sorted((folder or ACCEPTED).glob("*.toml")):
        entries += tomllib.loads(path.read_text(encoding="utf-8")).get("survivor", [])
    for entry in entries:
        entry["change"] = changed_lines(entry["change"])
    return entries


def reason_for(module: str, survivor: dict, accepted: list[dict]) -> str | None:
    for entry in accepted:
        if (
            entry["module"] == module
            and entry["function"] == survivor["function"]
            and entry["change"] == survivor["change"]
        ):
            return entry["reason"]
    return None


def report(results: dict[str, dict], order: list[str]) -> str:
    accepted = load_accepted()
    lines = [
        "# Mutation testing report (mutmut)",
        "",
        "Generated by `make mutation` (tools/mutation.py); not committed. Kill rate = killed "
        "(a test failed, or the mutant hung) / all mutants. Explained: survivors that "
        "tools/mutation_survivors/ accepts as equivalent or harmless. An accepted survivor is "
        "not run again (its status says so; `--rerun-accepted` runs it) and counts as not "
        "killed.",
        "",
        "| module | mutants | killed | survived | kill rate | explained | unexplained | minutes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals = [0, 0, 0, 0]
    detail = []
    for name in order:
        if name not in results:
            continue
        r = results[name]
        survived = r["total"] - r["killed"]
        explained = sum(1 for s in r["survivors"] if reason_for(name, s, accepted))
        rate = 100 * r["killed"] / r["total"] if r["total"] else 100.0
        lines.append(
            f"| {name} | {r['total']} | {r['killed']} | {survived} | {rate:.1f}% | {explained} "
            f"| {survived - explained} | {r['minutes']} |"
        )
        totals = [totals[0] + r["total"], totals[1] + r["killed"], totals[2] + explained, 0]
        detail.append(f"\n## {name} ({r['path']})\n")
        detail.append(f"Tests: {', '.join(r['tests'])}. Statuses: {r['counts']}.\n")
        if r.get("rechecked"):
            detail.append("Survivors re-tested against the current tests (`--recheck`).\n")
        for s in r["survivors"]:
            why = reason_for(name, s, accepted)
            head = f"- `{s['mutant']}` ({s['status']}): " + (
                f"accepted: {why}" if why else "**UNEXPLAINED**"
            )
            detail.append(head)
            detail.append("  ```diff\n" + "\n".join("  " + x for x in s["diff"].splitlines()))
            detail.append("  ```")
    if totals[0]:
        rate = 100 * totals[1] / totals[0]
        lines.append(
            f"| **all** | {totals[0]} | {totals[1]} | {totals[0] - totals[1]} | {rate:.1f}% "
            f"| {totals[2]} | {totals[0] - totals[1] - totals[2]} | |"
        )
    return "\n".join(lines + detail) + "\n"


def main(argv: list[str] | None = None) -> int:
    modules = tomllib.loads(MODULES.read_text(encoding="utf-8"))["modules"]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="*", help=f"default: all of {', '.join(modules)}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--report-only", action="store_true", help="rewrite the report only")
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="re-test only the last run's survivors against the current tests (quick)",
    )
    parser.add_argument(
        "--rerun-accepted",
        action="store_true",
        help="run the accepted survivors too (by default they are not run again)",
    )
    # inside a work folder, as tools/mutation.py runs itself: "seed MODULE" or "collect"
    parser.add_argument("--inside", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        if args.inside[0] == "seed":
            seed_accepted(args.inside[1], args.jobs, Path(args.inside[2]))
        else:
            collect()
        return 0
    unknown = [m for m in args.module if m not in modules]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(modules)}")
    OUT.mkdir(exist_ok=True)
    store = OUT / "results.json"
    results = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    for name in [] if args.report_only else args.module or list(modules):
        print(f"mutation: {name} ({modules[name]['path']}) ...", flush=True)
        if args.recheck:
            if name not in results:
                continue
            results[name] = recheck(name, modules[name], results[name])
        else:
            results[name] = run_module(name, modules[name], args.jobs, args.rerun_accepted)
        r = results[name]
        print(f"  {r['killed']}/{r['total']} killed in {r['minutes']} min", flush=True)
        # re-read first: another run (of other modules) may have written its figures meanwhile
        latest = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
        results = {**latest, name: r}
        store.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    (OUT / "report.md").write_text(report(results, list(modules)), encoding="utf-8")
    print(OUT / "report.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
