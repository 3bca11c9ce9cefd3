"""A dossier export's commune column is part of what makes two rows of one id the same dossier.

(From a mutation survivor: reading the column under a wrong field name left every commune NULL,
and two rows of one id that differ only in their commune were then taken for identical copies.)
"""

from __future__ import annotations

from conftest import write_csv
from test_dossier_problems import row
from test_dossiers import CATALOGUE, HEADER

from kpi_utils.sources import aggregate

COMMUNE = "Xã, phường, thị trấn"


def test_rows_of_one_id_that_differ_only_in_commune_are_a_conflict(tmp_path, resolver):
    rows = [
        [*row("D1"), "Xã Mông Hóa"],
        [*row("D1"), "Xã Dân Hòa"],  # the same dossier id, another commune: which is right?
        [*row("D2"), "Xã Mông Hóa"],
        [*row("D2"), "Xã Mông Hóa"],  # a true copy
    ]
    path = write_csv(tmp_path / "d.csv", [[*HEADER, COMMUNE], *rows])
    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE)
    result = aggregate.load_dossiers([path], catalogue, resolver)
    s = result.summary
    # 4 rows read: D2 counted once (its copy set aside), D1's two rows both rejected
    assert (s.read, s.used, s.identical_copies) == (4, 1, 1)
    assert {k: n for k, n in s.rejected.items() if n} == {"conflicting_duplicate": 2}
    errors = [str(p) for p in result.problems if p.is_error]
    assert len(errors) == 2 and all("with different commune" in e for e in errors), errors
