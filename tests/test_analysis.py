"""The analysts' side: `open_data` and its frames, the what-if worked by hand, charts that are
interactive in JupyterLab and SVG in the report, and explore.ipynb run through a Jupyter server's
kernel as JupyterLab runs it."""

from __future__ import annotations

import doctest
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import vl_convert
from conftest import write_csv

from kpi_utils.analysis import dataset, open_data, save_table
from kpi_utils.common.problems import InputError
from kpi_utils.metrics.pipeline import kpi_for_month
from kpi_utils.report import charts

ROOT = Path(__file__).resolve().parents[1]
JUPYTERLAB_VEGA_LITE = "5.8"  # JupyterLab 4 bundles Vega-Lite 5.6; vl-convert's nearest is 5.8


def test_the_documented_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name data/sample from the project's folder
    result = doctest.testmod(dataset, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 6 and result.failed == 0


def test_the_kpi_table_is_the_published_one():
    assert open_data().kpi("2022-03").equals(kpi_for_month("2022-03"))


def _one_unit(tmp_path, rows):
    path = tmp_path / "counts.csv"
    write_csv(path, [["unit", "month", "total", "online"], *rows])
    return open_data(counts=[path])


def test_what_if_by_hand(tmp_path):
    # SCT, Jan-Mar 2022: 100 dossiers a month, 40 online: YTD 300 / 120. Keeping 100 a month,
    # the year ends with 1,200 dossiers; 55% of them is 660 online: 540 more, of the 900 expected
    # in the 9 months left, a rate of 60%.
    data = _one_unit(tmp_path, [["SCT", f"2022-0{m}", 100, 40] for m in (1, 2, 3)])
    what = data.what_if("SCT", "2022-03")
    assert what["extra_online_needed"] == 540
    assert what["remaining_months"] == 9 and what["expected_total_remaining"] == 900
    assert what["needed_rate"] == pytest.approx(0.6)


def test_what_if_is_exact_at_the_target(tmp_path):
    # 7,381 online of 13,420 is exactly 55%: by December at the same volume nothing more is needed
    # beyond keeping 55% of what comes; the least extra number is 55% of the expected months.
    data = _one_unit(tmp_path, [["SCT", "2022-06", 13420, 7381]])
    what = data.what_if("SCT", "2022-06")
    # June alone: 6 months elapsed, average 13,420 / 6, 6 left: 13,420 more; 55% of 26,840 is
    # 14,762 exactly, 7,381 more.
    assert what["extra_online_needed"] == 7381


def test_a_store_opens_as_it_stood_on_a_date(tmp_path, capsys):
    # every unit 100/60 in June received 5 July; Sở Tư pháp resends June with 90 online on 20 July
    from kpi_utils import cli
    from kpi_utils.common.registry import load_registry

    header = ["unit", "month", "total", "online"]
    first = write_csv(
        tmp_path / "june.csv",
        [header, *([c, "2022-06", 100, 60] for c in load_registry()["unit_code"])],
    )
    resent = write_csv(tmp_path / "stp.csv", [header, ["STP", "2022-06", 100, 90]])
    store = tmp_path / "inputs"
    for path, day in ((first, "2022-07-05"), (resent, "2022-07-20")):
        assert cli.main(["add", str(path), "--store", str(store), "--received", day]) == 0

    def stp_online(data):
        table = data.kpi("2022-06")
        return int(table.loc[table["unit_code"] == "STP", "month_online"].iloc[0])

    assert stp_online(open_data(store=store)) == 90
    assert stp_online(open_data(store=store, as_of="2022-07-10")) == 60
    with pytest.raises(ValueError):
        open_data(counts=[first], store=store)


def test_problems_are_listed_not_raised(tmp_path):
    data = _one_unit(tmp_path, [["SCT", "2022-13", 10, 5], ["Sở Không Có", "2022-01", 1, 1]])
    problems = data.problems()
    assert list(problems.columns) == dataset.PROBLEM_COLUMNS
    errors = problems[problems["severity"] == "error"]
    assert set(errors["row"]) == {2, 3}
    assert all(Path(f).name == "counts.csv" for f in errors["file"])
    with pytest.raises(InputError):
        data.kpi("2022-01")


def test_save_table_writes_what_it_was_given(tmp_path):
    table = open_data().kpi("2022-06")
    below = table[table["status"] == "below"]
    path = save_table(below, "below", folder=tmp_path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(below.columns)
    assert [r[0] for r in rows[1:]] == list(below["unit_code"])


# --- one chart function, two renderers --------------------------------------------------------


@pytest.fixture(scope="module")
def june():
    data = open_data()
    return data.kpi("2022-06"), data.series("2022-06")


def _explore_charts(june):
    table, series = june
    return {
        "ytd_vs_target": charts.ytd_vs_target(table),
        "unit_explorer": charts.unit_explorer(series),
        "units_compared": charts.units_compared(series, ["SKHCN", "SVHTTDL"]),
    }


def test_interactive_charts_are_for_jupyterlabs_own_renderer(june):
    for name, chart in _explore_charts(june).items():
        bundle = charts.interactive(chart)._repr_mimebundle_()
        assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}, name
        spec = bundle["application/vnd.vegalite.v5+json"]
        # what JupyterLab's Vega-Lite 5 compiles: an error here is a blank chart there
        vl_convert.vegalite_to_vega(spec, vl_version=JUPYTERLAB_VEGA_LITE)
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert "tooltip" in json.dumps(spec), name


def test_the_unit_explorer_has_a_picker_and_a_brush(june):
    spec = charts.interactive(charts.unit_explorer(june[1])).spec
    params = {p["name"]: p for p in spec["params"]}
    picker = params["picked_unit"]
    assert picker["bind"]["input"] == "select"
    assert len(picker["bind"]["options"]) == 27 and picker["value"] == "Sở Công Thương"
    brush = [p for p in json.dumps(spec).split('"select": ') if p.startswith('{"type": "interval"')]
    assert brush, "no interval selection over months"


def test_the_same_chart_renders_as_svg_for_the_report(june):
    svg = charts.to_svg(charts.unit_explorer(june[1]))
    assert svg.startswith("<svg") and "Sở Công Thương" in svg
    assert "http" not in svg.replace("http://www.w3.org", "")


# --- explore.ipynb through a Jupyter server, as JupyterLab runs it ---------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _execute(ws, code: str, timeout: float = 180) -> tuple[str, list[dict]]:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "test",
                    "session": "explore",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": True},
                "channel": "shell",
            }
        )
    )
    outputs, status, deadline = [], None, time.monotonic() + timeout
    while time.monotonic() < deadline and status is None:
        message = json.loads(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind in ("display_data", "execute_result", "error", "stream"):
            outputs.append({"type": kind, **message["content"]})
        elif kind == "execute_reply":
            status = message["content"]["status"]
    return status or "timeout", outputs


@pytest.mark.slow
def test_explore_runs_in_a_jupyter_server(tmp_path):
    import nbformat
    import websocket

    port, token = _free_port(), uuid.uuid4().hex
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _api(base, token, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        kernel = _api(base, token, "/api/kernels", "POST", {"name": "python3"})
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels?token={token}",
            timeout=180,
        )
        notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
        mimetypes = set()
        _execute(ws, f"import os; os.chdir({str(ROOT / 'notebooks')!r})")
        _execute(ws, f"excel_out = {str(tmp_path)!r}")  # after the parameters cell, below
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            if "parameters" in cell.metadata.get("tags", []):
                source += f"\nexcel_out = {str(tmp_path)!r}"
            status, outputs = _execute(ws, source)
            errors = [o for o in outputs if o["type"] == "error"]
            assert status == "ok" and not errors, (source, errors)
            for output in outputs:
                mimetypes |= set(output.get("data", {}))
        ws.close()
        assert "application/vnd.vegalite.v5+json" in mimetypes
        assert not any(m.startswith("text/html") and "vega" in m for m in mimetypes)
        assert list(tmp_path.glob("*.xlsx"))
        _api(base, token, f"/api/kernels/{kernel['id']}", "DELETE")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_explore_is_a_thin_notebook_with_one_parameters_cell():
    import nbformat

    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1
    assert all(not c.outputs and c.execution_count is None for c in code)
    # thin: at most two calls into kpi_utils (or one pandas expression) per cell
    for cell in code[1:]:
        assert len([line for line in cell.source.splitlines() if line.strip()]) <= 3, cell.source
    assert pd.Series([c.source for c in code]).str.contains("import altair").sum() == 0
