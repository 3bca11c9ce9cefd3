"""Provenance: what a report says it was built from, and whether it must say 'synthetic'.

A folder holding a file named SYNTHETIC marks its data as synthetic (data/sample/ has one); counts
derived from synthetic dossier exports or forms carry the mark on, and the original files are the
sources a report lists.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil

from conftest import write_csv
from test_dossiers import CATALOGUE, GOOD, HEADER

from kpi_utils import cli
from kpi_utils.common import paths
from kpi_utils.metrics.pipeline import load_inputs


def test_the_bundled_sample_is_synthetic_however_it_is_named():
    assert paths.is_synthetic(paths.sample_counts_path())
    assert load_inputs().is_sample
    assert load_inputs(counts=[paths.sample_counts_path()]).is_sample


def test_a_copy_outside_a_marked_folder_is_not(tmp_path):
    copy = shutil.copy(paths.sample_counts_path(), tmp_path / "counts.csv")
    assert not paths.is_synthetic(copy)
    assert not load_inputs(counts=[copy]).is_sample
    # one real file among synthetic ones: the report is not labelled synthetic
    assert not load_inputs(counts=[paths.sample_counts_path(), copy], month="2022-06").is_sample


def _derive(tmp_path, marked: bool) -> argparse.Namespace:
    source = tmp_path / "exports"
    source.mkdir()
    if marked:
        paths.mark_synthetic(source)
    dossiers = write_csv(source / "dossiers.csv", [HEADER, *GOOD[:6], *GOOD[9:]])
    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE)
    derived = tmp_path / "derived"
    derived.mkdir()
    args = argparse.Namespace(
        dossiers=[dossiers], catalogue=catalogue, counts=None, forms=None, sheet=None
    )
    cli._derive_counts(args, derived)
    return args


def test_counts_derived_from_synthetic_exports_stay_synthetic(tmp_path):
    args = _derive(tmp_path, marked=True)
    (derived,) = args.counts
    assert paths.is_synthetic(derived)
    assert load_inputs(counts=args.counts).is_sample
    by_name = {source.name: source for source in args.sources}
    assert set(by_name) == {"dossiers.csv", "catalogue.csv"}  # both shape the counts
    data = (tmp_path / "exports" / "dossiers.csv").read_bytes()
    assert by_name["dossiers.csv"].sha256 == hashlib.sha256(data).hexdigest()
    assert by_name["dossiers.csv"].rows == 8


def test_counts_derived_from_real_exports_are_not(tmp_path):
    args = _derive(tmp_path, marked=False)
    assert not paths.is_synthetic(args.counts[0])
    assert not load_inputs(counts=args.counts).is_sample
