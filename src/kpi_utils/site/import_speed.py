"""What a build's processes and kernels pay once instead of on every page.

Skip a 2.6-second import that nothing in this project uses. jsonschema (imported by nbformat,
papermill, nbconvert and altair) checks the formats "iri" and "iri-reference" with
`rfc3987_syntax` when that optional package is installed; jupyterlab's stack installs it, and it
compiles an Earley grammar at import time: about 2.6 s on the department's 2-core machines, in
every process that imports any of the above. No schema we validate uses those formats (the
notebook schema uses none, Vega-Lite's uses "uri", "uri-reference" and "color-hex"), so the build
tells Python the package is absent: jsonschema then leaves the two IRI checks out, exactly as it
does when the package is not installed. jupyterlab stays installed and analysts' own sessions
are untouched.

Warm up each kernel before its first page (`KERNEL_WARM_UP`, run by the runner while the main
process still checks the inputs): the pages' imports (pandas, Altair, vl-convert, kpi_utils) and
one tiny SVG in each language, which loads vl-convert's engine and fonts (about 1.6 s a kernel
that the first page would otherwise pay). The page modules themselves (`report.pages` and the
readers and metrics it uses, which `from kpi_utils import report` loads only on first use) are
imported here too: a module first imported by a page is forgotten before the next page, so
without this every page compiled and ran 22 modules again (about 60 ms a page). The runner keeps these modules for every page and
restores their state between pages (runner.RESET_CODE).
"""

from __future__ import annotations

import sys

OPTIONAL_MODULE = "rfc3987_syntax"

# The same, run once in each warm kernel before any page (see runner).
KERNEL_PRELUDE = f"import sys\nsys.modules.setdefault({OPTIONAL_MODULE!r}, None)\ndel sys\n"

KERNEL_WARM_UP = """\
import altair as _kpi_alt
import pandas as _kpi_pd
from kpi_utils import report as _kpi_report  # what every page imports first
from kpi_utils.report import charts as _kpi_charts
from kpi_utils.report import pages as _kpi_pages  # what `report.unit_page` etc. load lazily

_kpi_frame = _kpi_pd.DataFrame({"rate": [0.5], "unit": ["Sở"]})
_kpi_chart = (
    _kpi_alt.Chart(_kpi_frame)
    .mark_bar()
    .encode(x=_kpi_alt.X("rate:Q", axis=_kpi_alt.Axis(format="%")), y="unit:N")
    .properties(title="Sở")
)
for _kpi_lang in ("vi", "en"):
    _kpi_charts.to_svg(_kpi_chart, _kpi_lang)
del _kpi_alt, _kpi_pd, _kpi_report, _kpi_charts, _kpi_pages, _kpi_frame, _kpi_chart, _kpi_lang
"""


def skip_iri_grammar() -> None:
    """Make `import rfc3987_syntax` fail fast (ImportError) in this process, unless already loaded."""
    sys.modules.setdefault(OPTIONAL_MODULE, None)
