"""Skip a 2.6-second import that nothing in this project uses.

jsonschema (imported by nbformat, papermill, nbconvert and altair) checks the formats "iri" and
"iri-reference" with `rfc3987_syntax` when that optional package is installed; jupyterlab's stack
installs it, and it compiles an Earley grammar at import time: about 2.6 s on the department's
2-core machines, in every process that imports any of the above. No schema we validate uses
those formats (the notebook schema uses none, Vega-Lite's uses "uri", "uri-reference" and
"color-hex"), so the build tells Python the package is absent: jsonschema then leaves the two
IRI checks out, exactly as it does when the package is not installed. jupyterlab stays installed
and analysts' own sessions are untouched.
"""

from __future__ import annotations

import sys

OPTIONAL_MODULE = "rfc3987_syntax"

# The same, run once in each warm kernel before any page (see runner).
KERNEL_PRELUDE = f"import sys\nsys.modules.setdefault({OPTIONAL_MODULE!r}, None)\ndel sys\n"


def skip_iri_grammar() -> None:
    """Make `import rfc3987_syntax` fail fast (ImportError) in this process, unless already loaded."""
    sys.modules.setdefault(OPTIONAL_MODULE, None)
