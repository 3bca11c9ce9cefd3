"""What every page worker imports, loaded once by the build's fork server (`runner.PagePool`).

Workers are forked from a server process that has imported this module, so that each starts
with papermill, nbclient, jupyter_client and nbconvert (with its BeautifulSoup) already loaded,
instead of importing them itself: about 1.3 s of CPU per worker on the department's 2-core
machines, while the kernels and the input checks compete for the same cores. A fork server
(rather than forking the main process) because the main process holds threads by then.

The optional IRI grammar is skipped first (`import_speed`), as in a spawned worker.
"""

from kpi_utils.site import import_speed

import_speed.skip_iri_grammar()

import bs4  # noqa: E402, F401
import jupyter_client  # noqa: E402, F401
import nbclient  # noqa: E402, F401
import nbconvert  # noqa: E402, F401
import papermill  # noqa: E402, F401

from kpi_utils.site import html_export, runner  # noqa: E402, F401
