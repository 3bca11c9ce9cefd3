"""The three dependency lists agree: pyproject.toml (what the project needs), environment.yml (the
conda alternative) and requirements.lock (the exact versions `make setup` installs).

Read from the files in the repository, no network. pyproject.toml is the source: environment.yml
must list the same packages (dependencies and the dev extra) with the same bounds, under conda's
name where conda-forge spells it differently; every pin of the lock must satisfy pyproject.toml for
every Python it serves (>= 3.11) and carry hashes.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"
LOCK = ROOT / "requirements.lock"

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"duckdb": "python-duckdb"}
# Python versions the lock must serve (requires-python >= 3.11; the newest ones released).
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]


def pyproject_requirements(pyproject: dict) -> dict[str, str]:
    """conda name -> specifier, for python, the dependencies and the dev extra."""
    project = pyproject["project"]
    wanted = {"python": str(SpecifierSet(project["requires-python"]))}
    for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        wanted[CONDA_NAMES.get(name, name)] = str(requirement.specifier)
    return wanted


def conda_requirements(environment: dict) -> dict[str, str]:
    """conda name -> specifier, for the conda packages of environment.yml (not pip or its list)."""
    listed = {}
    for entry in environment["dependencies"]:
        if not isinstance(entry, str):
            continue  # the `pip:` list
        name, specifier = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", entry.strip()).groups()
        if name != "pip":
            listed[canonicalize_name(name)] = str(SpecifierSet(specifier.replace(" ", "")))
    return listed


def differences(wanted: dict[str, str], listed: dict[str, str]) -> list[str]:
    """One line per package missing, extra or with other bounds in environment.yml."""
    lines = [f"{name}{spec}: missing in environment.yml" for name, spec in wanted.items()]
    lines = [line for line, name in zip(lines, wanted, strict=True) if name not in listed]
    lines += [
        f"{name}: in environment.yml, not in pyproject.toml" for name in listed - wanted.keys()
    ]
    lines += [
        f"{name}: environment.yml says {listed[name] or 'any'}, pyproject.toml {spec or 'any'}"
        for name, spec in wanted.items()
        if name in listed and SpecifierSet(listed[name]) != SpecifierSet(spec)
    ]
    return lines


def lock_pins(text: str) -> list[tuple[str, Version, Marker | None, int]]:
    """(name, version, marker, number of hashes) for each pin of a `pip-compile`-style lock."""
    pins = []
    for entry in re.split(r"\n(?=\S)", text):
        head = entry.split("\\")[0].strip()
        if not head or head.startswith(("#", "-")):
            continue
        requirement = Requirement(head)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", head
        hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", entry))
        pins.append(
            (
                canonicalize_name(requirement.name),
                Version(specifier.version),
                requirement.marker,
                hashes,
            )
        )
    return pins


def test_environment_yml_lists_what_pyproject_toml_does():
    wanted = pyproject_requirements(tomllib.loads(PYPROJECT.read_text(encoding="utf-8")))
    environment = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    assert differences(wanted, conda_requirements(environment)) == []
    assert "duckdb" not in conda_requirements(environment)  # conda-forge's duckdb is not the module
    pip_lists = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert pip_lists == [["-e ."]]  # the project itself, nothing else from PyPI


def test_the_comparison_sees_a_missing_an_extra_and_a_different_bound():
    wanted = {"python": ">=3.11", "pandas": "<4,>=3.0", "python-duckdb": ">=1.1"}
    environment = {
        "dependencies": [
            "python>=3.11",
            "pip",
            "pandas>=2.2,<4",
            "duckdb>=1.1",
            {"pip": ["-e ."]},
        ]
    }
    assert sorted(differences(wanted, conda_requirements(environment))) == [
        "duckdb: in environment.yml, not in pyproject.toml",
        "pandas: environment.yml says <4,>=2.2, pyproject.toml <4,>=3.0",
        "python-duckdb>=1.1: missing in environment.yml",
    ]


def test_the_same_bounds_written_in_another_order_agree():
    wanted = {"pandas": "<4,>=3.0"}
    assert differences(wanted, conda_requirements({"dependencies": ["pandas >=3.0, <4"]})) == []


@pytest.mark.parametrize("python", PYTHONS)
def test_the_lock_pins_every_requirement_within_pyproject_bounds(python):
    pyproject = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    project = pyproject["project"]
    environment = {"python_version": python, "python_full_version": f"{python}.0"}
    environment |= {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
    pins = {}
    for name, version, marker, hashes in lock_pins(LOCK.read_text(encoding="utf-8")):
        assert hashes > 0, f"{name}=={version} has no hash in {LOCK.name}"
        if marker is None or marker.evaluate(environment):
            assert name not in pins, f"{name} pinned twice for Python {python}"
            pins[name] = version
    required = project["dependencies"] + project["optional-dependencies"]["dev"]
    required += pyproject["build-system"]["requires"]  # `make setup` builds without isolation
    for line in required:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name} for Python {python}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{LOCK.name} pins {name}=={pins[name]}, pyproject.toml wants {requirement.specifier}: "
            "run `make lock`"
        )
