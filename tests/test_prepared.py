"""A build hands its pages the inputs it checked (`pages.Prepared`): pages built from it read no
input file and show what pages that read the inputs themselves show."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi_utils import report
from kpi_utils.metrics.pipeline import checked_inputs, load_commune_inputs
from kpi_utils.report.pages import Prepared, prepare

MONTH = "2022-06"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    path = tmp_path_factory.mktemp("prepared") / "inputs.pickle"
    prepare(MONTH, checked_inputs(month=MONTH), load_commune_inputs()).save(path)
    return path


def test_pages_from_prepared_inputs_read_no_file_and_show_the_same(prepared, tmp_path):
    missing = [str(tmp_path / "no-such-counts.csv")]  # would fail if it were read
    unit = report.unit_page("CAOPHONG", MONTH, counts=missing, prepared=prepared)
    read = report.unit_page("CAOPHONG", MONTH)
    for part in ("title", "notice", "summary", "monthly_table", "communes_section"):
        assert str(getattr(unit, part)()) == str(getattr(read, part)()), part
    pd.testing.assert_frame_equal(unit.series, read.series)
    overview = report.overview_page(MONTH, counts=missing, prepared=prepared)
    assert str(overview.kpi_tables()) == str(report.overview_page(MONTH).kpi_tables())
    communes = report.communes_page(MONTH, commune_counts=missing, prepared=prepared)
    assert str(communes.communes_table()) == str(report.communes_page(MONTH).communes_table())
    assert "<table" in str(communes.communes_table())


def test_prepared_inputs_of_another_month_are_refused(prepared):
    with pytest.raises(ValueError, match="holds the inputs of 2022-06, not of 2022-07"):
        report.overview_page("2022-07", prepared=prepared)


def test_a_file_that_is_not_prepared_inputs_is_refused(tmp_path):
    import pickle

    path = tmp_path / "other.pickle"
    path.write_bytes(pickle.dumps({"month": MONTH}))
    with pytest.raises(ValueError, match="not a build's prepared inputs"):
        Prepared.read(path)
