"""`kpi-report build` end to end: the report folder, its HTML, its tables, failures, the browser.

One small report is built once per session (module fixture `report`) from counts written here for
four units, with the real notebooks and a copy of the reference data in which one unit's name
carries a `<script>` tag (official name and a spelling of it used in the counts file). The tests
then read what was written, as a reviewer's browser or an official's spreadsheet would.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import write_csv

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MONTH = "2022-03"
XSS = '<script>alert("xss")</script>'
SCT_NAME = f"Sở Công Thương {XSS}"
SCT_SPELLING = "Sở Công Thương <script>alert(1)</script>"

# Hand-made counts: (unit as written in the file, month, total, online)
COUNTS = [
    (SCT_SPELLING, "2022-01", 200, 120),
    (SCT_SPELLING, "2022-02", 180, 90),
    (SCT_SPELLING, "2022-03", 220, 143),
    ("Sở Tài chính", "2022-01", 40, 10),
    ("Sở Tài chính", "2022-02", 50, 20),
    ("Sở Tài chính", "2022-03", 60, 33),
    ("TP. Hòa Bình", "2022-01", 1000, 700),
    ("TP. Hòa Bình", "2022-02", 900, 650),
    ("TP. Hòa Bình", "2022-03", 1100, 800),
    ("Đà Bắc", "2022-02", 300, 100),
    ("Đà Bắc", "2022-03", 310, 170),
]
ALL_UNITS = 27
PROVINCE_PAGES = 3  # overview, data quality, communes

# Commune counts for two of TPHB's communes (as a district would write them), and the one target
# TPHB assigned: Phường Thái Bình YTD 265/300 = 88.3% against its own 85%: met; Phường Tân Hòa
# 85/200 = 42.5% against TPHB's 55%: below, short by ceil(0.55 × 200 − 85) = 25 dossiers.
COMMUNE_COUNTS = [
    ("Phường Thái Bình", "TP. Hòa Bình", "2022-01", 100, 80),
    ("Phường Thái Bình", "TP. Hòa Bình", "2022-02", 100, 90),
    ("Phường Thái Bình", "TP. Hòa Bình", "2022-03", 100, 95),
    ("P. Tân Hoà", "TP. Hòa Bình", "2022-01", 50, 20),
    ("P. Tân Hoà", "TP. Hòa Bình", "2022-02", 50, 25),
    ("P. Tân Hoà", "TP. Hòa Bình", "2022-03", 100, 40),
]


def _data_dir(root: Path) -> Path:
    """A copy of the bundled reference data where SCT's official name holds a script tag."""
    data = root / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("sample"))
    (data / "sample").mkdir()
    shutil.copy(REPO / "data" / "sample" / "monthly_counts.csv", data / "sample")
    units = (data / "units.csv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(units):
        if line.startswith("SCT,"):
            # unit_code,group,order,name_in_decision,official_name,gso_district_code,aliases
            units[i] = (
                f'SCT,department,1,Sở Công Thương,"{SCT_NAME.replace(chr(34), 2 * chr(34))}",,"Sở CT|{SCT_SPELLING}"'
            )
    (data / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    return data


def _env(data_dir: Path, notebooks: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, KPI_DATA_DIR=str(data_dir))
    if notebooks is not None:
        env["KPI_NOTEBOOKS_DIR"] = str(notebooks)
    return env


def kpi_report(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpi_utils", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def report():
    root = Path(tempfile.mkdtemp(prefix="kpi-build-test-"))
    data = _data_dir(root)
    counts = write_csv(root / "counts.csv", [("Đơn vị", "Tháng", "Tổng số", "Trực tuyến"), *COUNTS])
    commune_counts = write_csv(
        root / "commune_counts.csv",
        [("Xã, phường, thị trấn", "Huyện", "Tháng", "Tổng số", "Trực tuyến"), *COMMUNE_COUNTS],
    )
    commune_targets = write_csv(
        root / "commune_targets.csv",
        [("Năm", "Xã, phường, thị trấn", "Chỉ tiêu"), (2022, "Phường Thái Bình", "85%")],
    )
    env = _env(data)
    out = root / "reports"
    result = kpi_report(
        "build",
        "--month",
        MONTH,
        "--counts",
        str(counts),
        "--commune-counts",
        str(commune_counts),
        "--commune-targets",
        str(commune_targets),
        "--out",
        str(out),
        env=env,
        cwd=root,
    )
    yield {
        "root": root,
        "data": data,
        "counts": counts,
        "commune_counts": commune_counts,
        "env": env,
        "out": out,
        "dir": out / MONTH,
        "result": result,
    }
    shutil.rmtree(root, ignore_errors=True)


class Links(HTMLParser):
    """Every URL a page would load or link to, every element name, and the text of <text>."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.svg_texts: list[str] = []
        self._in_text = 0
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "poster", "srcset", "data"):
                self.urls.append((tag, name, value or ""))
        if tag == "text":
            self._in_text += 1
            self.svg_texts.append("")
        if tag == "style":
            self._in_style = True
            self.styles.append("")

    def handle_endtag(self, tag):
        if tag == "text":
            self._in_text -= 1
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_text:
            self.svg_texts[-1] += data
        if self._in_style:
            self.styles[-1] += data


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:", "file:")) or (
        ":" in url.split("/")[0] and not url.startswith(("#", "data:"))
    )


@pytest.mark.slow
def test_build_succeeds_and_prints_the_index(report):
    result = report["result"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(report["dir"] / "index.html")
    # not a terminal: one plain line per page
    page_lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(page_lines) == PROVINCE_PAGES + ALL_UNITS
    assert all(" ok " in line for line in page_lines)


@pytest.mark.slow
def test_every_expected_file_exists(report, registry):
    folder = report["dir"]
    expected = [
        "index.html",
        "overview.html",
        "data-quality.html",
        "communes.html",
        "kpi_table.csv",
        "kpi_table.xlsx",
        f"bao-cao-{MONTH}.docx",
        "notebooks/overview.ipynb",
        "notebooks/data_quality.ipynb",
        "notebooks/communes.ipynb",
    ]
    for code in registry["unit_code"]:
        expected += [f"units/{code}.html", f"notebooks/units/{code}.ipynb"]
    missing = [name for name in expected if not (folder / name).is_file()]
    assert not missing
    assert len(list((folder / "units").glob("*.html"))) == ALL_UNITS
    # the inputs the build handed its pages (site.build.PREPARED_NAME) are not published
    assert not [p.name for p in folder.rglob(".*")]
    # nothing left behind beside the report but the archive of months
    assert sorted(p.name for p in report["out"].iterdir()) == [MONTH, "index.html"]


@pytest.mark.slow
def test_index_links_every_page_and_names_the_inputs(report, registry):
    index = report["dir"] / "index.html"
    links = {url for tag, _, url in parse(index).urls if tag == "a"}
    pages = {
        "overview.html",
        "data-quality.html",
        "communes.html",
        *(f"units/{c}.html" for c in registry["unit_code"]),
    }
    assert pages <= links
    text = index.read_text(encoding="utf-8")
    assert hashlib.sha256(report["counts"].read_bytes()).hexdigest() in text
    assert hashlib.sha256(report["commune_counts"].read_bytes()).hexdigest() in text
    targets = report["data"] / "targets_2022.csv"
    assert hashlib.sha256(targets.read_bytes()).hexdigest() in text
    assert "tháng 3/2022" in text
    assert "mô phỏng" not in text  # real counts given: no synthetic-data notice


@pytest.mark.slow
def test_no_page_loads_anything_from_outside(report):
    pages = sorted(report["dir"].rglob("*.html"))
    assert len(pages) == 1 + PROVINCE_PAGES + ALL_UNITS  # with index.html
    for page in pages:
        parsed = parse(page)
        external = [u for u in parsed.urls if is_external(u[2])]
        assert not external, (page.name, external)
        assert "script" not in parsed.tags, page.name
        assert "link" not in parsed.tags and "iframe" not in parsed.tags, page.name
        for css in parsed.styles:
            assert "@import" not in css and "url(" not in css.replace("url(#", ""), page.name
        # every same-report link resolves to a file of the report
        for tag, _, url in parsed.urls:
            if tag == "a" and url and not url.startswith(("#", "data:")):
                assert (page.parent / url.split("#")[0]).exists(), (page.name, url)


@pytest.mark.slow
def test_no_code_and_no_prompts_on_pages(report):
    for page in [report["dir"] / "overview.html", report["dir"] / "units" / "TPHB.html"]:
        text = page.read_text(encoding="utf-8")
        assert "from kpi_utils" not in text and "import " not in text
        assert "In&nbsp;[" not in text and "Out[" not in text
        assert "injected-parameters" not in text


@pytest.mark.slow
def test_charts_are_inline_svg_with_vietnamese_text(report):
    for name in ["overview.html", "units/TPHB.html"]:
        parsed = parse(report["dir"] / name)
        assert parsed.tags.count("svg") >= 2, name
        assert "img" not in parsed.tags, name
        vietnamese = [
            t
            for t in parsed.svg_texts
            if any(ch in t for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơưăâêô")
        ]
        assert vietnamese, name


@pytest.mark.slow
def test_communes_page_and_a_district_commune_section(report):
    page = report["dir"] / "communes.html"
    text = " ".join(page.read_text(encoding="utf-8").split())
    assert (
        "1 trong tổng số 151 xã, phường, thị trấn đạt chỉ tiêu lũy kế; "
        "1 xã, phường, thị trấn chưa đạt; 149 xã, phường, thị trấn không có số liệu." in text
    )
    tphb = " ".join((report["dir"] / "units" / "TPHB.html").read_text(encoding="utf-8").split())
    assert "Phường Thái Bình" in tphb and "Huyện, thành phố giao" in tphb
    # Phường Tân Hòa: 85 of 200 online against TPHB's 55%: short by 25
    below = tphb[tphb.index("chưa đạt chỉ tiêu lũy kế và số hồ sơ trực tuyến còn thiếu") :]
    assert "Phường Tân Hòa" in below and ">25<" in below
    dabac = (report["dir"] / "units" / "DABAC.html").read_text(encoding="utf-8")
    assert "Không có số liệu của các xã, thị trấn thuộc huyện Đà Bắc trong năm." in dabac
    sct = (report["dir"] / "units" / "SCT.html").read_text(encoding="utf-8")
    assert "Các xã, phường, thị trấn" not in sct


@pytest.mark.slow
def test_kpi_csv_is_the_table_command_output(report):
    table = kpi_report(
        "table",
        "--month",
        MONTH,
        "--counts",
        str(report["counts"]),
        env=report["env"],
        cwd=report["root"],
    )
    assert table.returncode == 0, table.stderr
    written = (report["dir"] / "kpi_table.csv").read_bytes()
    assert written == table.stdout.encode("utf-8")
    # and by hand: TPHB has 700+650+800 online of 1000+900+1100 dossiers by March
    row = next(line for line in written.decode().splitlines() if line.startswith("TPHB,"))
    assert ",3000,2150," in row


@pytest.mark.slow
def test_unit_name_with_a_script_tag_is_escaped_everywhere(report):
    shown_escaped = []
    for page in sorted(report["dir"].rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), page.name
        if "&lt;script&gt;" in text:
            shown_escaped.append(str(page.relative_to(report["dir"])))
    # the name is shown, escaped, on the pages that name the unit
    assert {"index.html", "overview.html", "units/SCT.html"} <= set(shown_escaped)


@pytest.mark.slow
def test_workbook_of_the_build(report):
    import openpyxl

    sheet = openpyxl.load_workbook(report["dir"] / "kpi_table.xlsx").active
    assert "tháng 3/2022" in sheet["A1"].value
    assert sheet.freeze_panes is not None
    cells = {c.value: c for c in sheet[4]}
    assert "Tỷ lệ lũy kế" in cells
    last = sheet.max_row
    assert sheet.cell(last, 2).value == "Tổng cộng 27 cơ quan, đơn vị"
    totals = {sheet.cell(4, col).value: sheet.cell(last, col).value for col in range(1, 16)}
    total_ytd = sum(t for _, m, t, _ in COUNTS)
    online_ytd = sum(o for _, m, _, o in COUNTS)
    assert totals["Hồ sơ lũy kế"] == total_ytd
    assert totals["Trực tuyến lũy kế"] == online_ytd


def _failing_notebooks(root: Path) -> Path:
    notebooks = root / "failing-notebooks"
    shutil.copytree(FIXTURES / "notebooks", notebooks)
    shutil.copy(
        FIXTURES / "runner" / "failing_unit_profile.ipynb", notebooks / "unit_profile.ipynb"
    )
    return notebooks


@pytest.mark.slow
def test_a_failing_page_names_page_and_cell_and_keeps_the_previous_report(report, tmp_path):
    assert report["result"].returncode == 0
    out = tmp_path / "reports"
    shutil.copytree(report["dir"], out / MONTH)
    before = tree_digest(out / MONTH)
    result = kpi_report(
        "build",
        "--month",
        MONTH,
        "--counts",
        str(report["counts"]),
        "--out",
        str(out),
        env=_env(report["data"], _failing_notebooks(tmp_path)),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    # the fixture raises in its cell 3 for STC only: every other page was attempted and passed
    assert "1 page(s) failed" in result.stderr
    assert "page units/STC (unit STC), cell 3" in result.stderr
    assert "ValueError: hỏng có chủ ý: STC" in result.stderr
    ok_lines = [
        line for line in result.stderr.splitlines() if line.startswith("[") and " ok " in line
    ]
    assert len(ok_lines) == PROVINCE_PAGES + ALL_UNITS - 1
    assert tree_digest(out / MONTH) == before
    assert "index.html" not in result.stdout
    # the failed build is kept aside for inspection, with the failing notebook
    failed = out / f".{MONTH}.failed"
    assert (failed / "notebooks" / "units" / "STC.ipynb").is_file()


def test_input_errors_stop_the_build_before_any_page(tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            ("Đơn vị", "Tháng", "Tổng số", "Trực tuyến"),
            ("Sở Công Thương", "2022-13", 10, 5),
            ("Sở Không Có", "2022-01", 10, 20),
        ],
    )
    env = dict(os.environ, KPI_NOTEBOOKS_DIR=str(tmp_path / "no-notebooks-here"))
    result = kpi_report(
        "build",
        "--month",
        "2022-01",
        "--counts",
        str(bad),
        "--out",
        str(tmp_path / "r"),
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    check = kpi_report("check", str(bad), env=env, cwd=tmp_path)
    assert result.stderr.strip() == check.stdout.strip()
    assert "bad.csv, row 2" in result.stderr and "bad.csv, row 3" in result.stderr
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


# --- a real browser ----------------------------------------------------------------------------

# `make test` passes the browser it found or installed (its CHROMIUM variable); run alone, the
# tests look for `chromium` on PATH.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.slow
def test_overview_renders_offline_in_headless_chromium(report, tmp_path):
    from browser import open_offline

    assert Path(CHROMIUM).exists(), "chromium is not installed (`make test` installs it)"
    page = report["dir"] / "overview.html"
    seen = open_offline(CHROMIUM, page, profile=tmp_path / "profile")
    assert seen.loaded
    assert seen.requests == [page.as_uri()], seen.requests  # the page itself, nothing else
    assert seen.failed_requests == []
    assert seen.console_errors == []
    assert seen.exceptions == []
    sizes = [(w, h) for w, h in seen.svg_sizes if w > 0 and h > 0]
    assert len(sizes) >= 2, seen.svg_sizes
    assert all(font.rstrip().endswith("sans-serif") for font in seen.fonts_used), seen.fonts_used


@pytest.mark.slow
def test_the_browser_check_sees_what_a_bad_page_does(tmp_path):
    """Control for the test above: a page that reaches out and logs an error is caught."""
    from browser import open_offline

    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<script src="https://cdn.jsdelivr.net/npm/requirejs@2/require.js"></script></head>'
        '<body><img src="https://example.com/x.png"><script>console.error("boom")</script>'
        '<svg width="0" height="0"></svg></body></html>',
        encoding="utf-8",
    )
    seen = open_offline(CHROMIUM, page, profile=tmp_path / "profile")
    assert seen.loaded
    assert "https://example.com/x.png" in seen.requests
    assert {url for url, _ in seen.failed_requests} == {
        "https://example.com/x.png",
        "https://cdn.jsdelivr.net/npm/requirejs@2/require.js",
    }
    assert "boom" in seen.console_errors
    assert seen.svg_sizes == [(0, 0)]


# --- progress -----------------------------------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _results():
    from kpi_utils.site.runner import PageFailure, PageResult

    failure = PageFailure("units/STC", "STC", 3, "x = 1", "ValueError", "boom")
    return [PageResult("overview", 1.25), PageResult("units/STC", 0.5, failure)]


def _progress_of_two_pages(tty: bool) -> str:
    """What `Progress` writes for `_results()` to a stream that is (or is not) a terminal."""
    from kpi_utils.site.build import Progress

    stream = _Stream(tty=tty)
    progress = Progress(stream)
    progress.start(2)
    for result in _results():
        progress.page_done(result)
    progress.close()
    return stream.getvalue()


def test_progress_is_one_plain_line_per_page_off_a_terminal():
    assert _progress_of_two_pages(tty=False).splitlines() == [
        "[1/2] ok     overview (1.2 s)",
        "[2/2] FAILED units/STC (0.5 s)",
    ]


def test_progress_is_a_bar_on_a_terminal():
    text = _progress_of_two_pages(tty=True)
    assert "2/2" in text and "\r" in text
    assert "[1/2]" not in text


# --- publishing only a complete build, with a fake page runner (fast) ------------------------


def _fake_pool(fail: str | None):
    """A stand-in for `runner.PagePool`: writes each page's HTML, fails the page named `fail`."""
    from kpi_utils.site.runner import PageFailure, PageResult

    class FakePool:
        def __init__(self, *_args, **_kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *_exc):
            return False

        def start(self, jobs, **_kwargs):
            return self

        def results(self, _on_result=None):
            results = []
            for job in self.jobs:
                job.html_path.parent.mkdir(parents=True, exist_ok=True)
                job.html_path.write_text(f"new {job.name}")
                failure = None
                if job.name == fail:
                    failure = PageFailure(job.name, job.unit_code, 3, "raise", "ValueError", "x")
                results.append(PageResult(job.name, 0.0, failure))
            return results

    def start(self, jobs, **_kwargs):
        self.jobs = list(jobs)
        return self

    FakePool.start = start
    return FakePool


@pytest.mark.parametrize("fail", ["units/STC", None])
def test_a_failed_page_is_never_published(tmp_path, monkeypatch, fail):
    from kpi_utils.site import build

    monkeypatch.setattr(build, "PagePool", _fake_pool(fail))
    out = tmp_path / "reports"
    (out / MONTH).mkdir(parents=True)
    (out / MONTH / "index.html").write_text("previous report")
    before = tree_digest(out / MONTH)
    outcome = build.build_report(MONTH, out=out)
    names = sorted(p.name for p in out.iterdir())
    if fail:
        # one failed page of 3 + ALL_UNITS: the previous report stays byte for byte, the failed
        # build (with the pages that did succeed) is set aside
        assert not outcome.ok and len(outcome.failures) == 1
        assert tree_digest(out / MONTH) == before
        assert names == [f".{MONTH}.failed", MONTH]
        assert outcome.failed_dir == out / f".{MONTH}.failed"
        assert (outcome.failed_dir / "overview.html").read_text() == "new overview"
    else:
        assert outcome.ok and outcome.failed_dir is None
        assert names == [MONTH, "index.html"]  # the month, and the archive of months
        assert (out / MONTH / "overview.html").read_text() == "new overview"
        assert len(list((out / MONTH / "units").iterdir())) == ALL_UNITS


# --- the declared pages -------------------------------------------------------------------------


def test_report_pages_and_their_parameters(registry, tmp_path):
    from kpi_utils.site.build import page_parameters, report_pages

    codes = list(registry["unit_code"])
    pages = report_pages(codes)
    assert [p.name for p in pages[:3]] == ["overview", "data-quality", "communes"]
    assert [p.unit_code for p in pages[3:]] == codes
    assert len({p.html for p in pages}) == len({p.executed for p in pages}) == 3 + ALL_UNITS
    assert pages[3].html == f"units/{codes[0]}.html" and pages[3].notebook == "unit_profile.ipynb"
    counts = tmp_path / "c.csv"
    unit = page_parameters(pages[3], "2022-06", [counts], None, "en")
    assert unit == {
        "month": "2022-06",
        "counts": [str(counts.resolve())],
        "targets": None,
        "lang": "en",
        "unit_code": codes[0],
        "commune_counts": None,
        "commune_targets": None,
    }
    overview = page_parameters(pages[0], "2022-06", None, tmp_path, "vi")
    assert "unit_code" not in overview and "commune_counts" not in overview
    assert "prepared" not in overview  # a page then reads its inputs itself
    prepared = tmp_path / ".prepared-inputs.pickle"
    given = page_parameters(pages[0], "2022-06", None, None, "vi", prepared=prepared)
    assert given["prepared"] == str(prepared)
    # `make report` writes into reports/ (relative) while the kernels run in notebooks/
    relative = Path("reports") / ".2022-06.building-x" / ".prepared-inputs.pickle"
    given = page_parameters(pages[0], "2022-06", None, None, "vi", prepared=relative)
    assert given["prepared"] == str(Path.cwd() / relative)
    assert overview["targets"] == str(tmp_path)
    # several targets files (several years) stay a list; commune files reach the commune pages
    communes = page_parameters(
        pages[2], "2022-06", None, [tmp_path / "a.csv", tmp_path / "b.csv"], "vi", [counts], counts
    )
    assert communes["targets"] == [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    assert communes["commune_counts"] == [str(counts.resolve())]
    assert communes["commune_targets"] == str(counts.resolve())


# --- the build's order of work, with a pool that runs no kernel ---------------------------------


class _RecordingPool:
    """Stands in for runner.PagePool: records what the build asks, 'runs' every page at once."""

    def __init__(self, calls: list[str]):
        self.calls = calls

    def start(self, jobs, *, timeout):
        from kpi_utils.site.runner import PageResult

        self.calls.append(f"start {len(jobs)} pages")
        calls = self.calls

        class _Running:
            def results(self, on_result=None):
                calls.append("results")
                for job in jobs:  # what a page leaves in the staging folder
                    job.html_path.parent.mkdir(parents=True, exist_ok=True)
                    job.html_path.write_text("<p>page</p>", encoding="utf-8")
                return [PageResult(job.name, 0.0) for job in jobs]

            def cancel(self):
                calls.append("cancel")

        return _Running()


def test_pages_start_before_the_other_files_are_written(tmp_path, monkeypatch):
    from kpi_utils.site import build

    calls: list[str] = []
    docx = build.official_report_docx
    monkeypatch.setattr(
        build, "official_report_docx", lambda *a, **k: calls.append("docx") or docx(*a, **k)
    )
    outcome = build.build_report("2022-06", out=tmp_path / "r", pool=_RecordingPool(calls))
    assert outcome.ok
    assert calls == ["start 30 pages", "docx", "results"]  # 3 province pages + 27 units
    assert (tmp_path / "r" / "2022-06" / "bao-cao-2022-06.docx").is_file()


def test_a_file_that_cannot_be_written_stops_the_pages_first(tmp_path, monkeypatch):
    from kpi_utils.site import build

    calls: list[str] = []

    def failing(*args, **kwargs):
        calls.append("docx fails")
        raise RuntimeError("disk gone")

    monkeypatch.setattr(build, "official_report_docx", failing)
    with pytest.raises(RuntimeError, match="disk gone"):
        build.build_report("2022-06", out=tmp_path / "r", pool=_RecordingPool(calls))
    # the queued pages are dropped (and running ones waited for) before the staging folder is
    # set aside: no page writes into it afterwards
    assert calls == ["start 30 pages", "docx fails", "cancel"]
    assert (tmp_path / "r" / ".2022-06.failed").is_dir()
    assert not (tmp_path / "r" / "2022-06").exists()


def test_a_failed_build_that_cannot_be_set_aside_still_reports_its_own_failure(
    tmp_path, monkeypatch
):
    # an earlier failed build that cannot be removed (a file held open on a network share) once
    # made set_aside's OSError the error shown, instead of the failure itself
    from kpi_utils.site import build

    def cannot(staging, place):
        raise OSError(13, "Permission denied", str(place))

    def failing(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(build, "set_aside", cannot)
    monkeypatch.setattr(build, "official_report_docx", failing)
    with pytest.raises(RuntimeError, match="disk gone"):
        build.build_report("2022-06", out=tmp_path / "r", pool=_RecordingPool([]))
    # the failed build is kept where it was built
    (kept,) = (tmp_path / "r").iterdir()
    assert kept.name.startswith(".2022-06.building-") and kept.is_dir()

    # failed pages: the outcome names the folder the build is kept in
    monkeypatch.setattr(build, "PagePool", _fake_pool("units/STC"))
    monkeypatch.setattr(build, "official_report_docx", lambda *a, **k: b"docx")
    outcome = build.build_report(MONTH, out=tmp_path / "s")
    assert not outcome.ok and outcome.failed_dir.name.startswith(f".{MONTH}.building-")
    assert (outcome.failed_dir / "overview.html").read_text() == "new overview"
