"""Open a local page in headless Chromium with networking disabled, and report what happened.

Driven through the DevTools protocol (a websocket, `websocket-client`): every request the page
made, every failed load, console errors and uncaught exceptions, and the rendered size of each
`<svg>`. Networking is off three ways: the DevTools offline emulation, a host resolver that
resolves nothing, and a proxy that accepts nothing; so anything fetched from outside the report
folder fails and is seen as a failed request.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SVG_SIZES = """JSON.stringify(Array.from(document.querySelectorAll('svg')).map(function (svg) {
  var box = svg.getBoundingClientRect(); return [box.width, box.height];
}))"""
FONTS = """JSON.stringify(Array.from(new Set(Array.from(document.querySelectorAll('svg text'))
  .map(function (t) { return getComputedStyle(t).fontFamily; }))))"""


@dataclass
class Visit:
    loaded: bool = False
    requests: list[str] = field(default_factory=list)
    failed_requests: list[tuple[str, str]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    svg_sizes: list[tuple[float, float]] = field(default_factory=list)
    fonts_used: list[str] = field(default_factory=list)


class _DevTools:
    def __init__(self, url: str, timeout: float):
        import websocket

        self.ws = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        msg_id = next(self.ids)
        message = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, deadline: float) -> bool:
        import websocket

        if any(e.get("method") == method for e in self.events):
            return True
        while time.monotonic() < deadline:
            try:
                event = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            self.events.append(event)
            if event.get("method") == method:
                return True
        return False

    def drain(self, seconds: float) -> None:
        import websocket

        self.ws.settimeout(0.1)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                continue

    def close(self) -> None:
        self.ws.close()


def _devtools_url(profile: Path, process: subprocess.Popen, timeout: float) -> str:
    """Chromium writes its port and browser path to DevToolsActivePort when given port 0."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with code {process.returncode}")
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.05)
    raise TimeoutError("chromium did not open its DevTools port")


def open_offline(chromium: str, page: Path, *, profile: Path, timeout: float = 60) -> Visit:
    profile.mkdir(parents=True, exist_ok=True)
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "--remote-allow-origins=*",
        "about:blank",
    ]
    log = (profile / "chromium.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    devtools = None
    try:
        devtools = _DevTools(_devtools_url(profile, process, timeout), timeout)
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Network", "Page", "Runtime", "Log"):
            devtools.call(f"{domain}.enable", session=session)
        devtools.call(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            session=session,
        )
        devtools.events.clear()
        devtools.call("Page.navigate", {"url": page.as_uri()}, session=session)
        visit = Visit(loaded=devtools.wait_for("Page.loadEventFired", time.monotonic() + timeout))
        devtools.drain(1.0)  # late console messages and failed loads
        for expression, attribute in ((SVG_SIZES, "svg_sizes"), (FONTS, "fonts_used")):
            result = devtools.call(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
            )
            setattr(
                visit,
                attribute,
                [
                    tuple(x) if isinstance(x, list) else x
                    for x in json.loads(result["result"]["value"])
                ],
            )
        urls = {}
        for event in devtools.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                visit.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                url = urls.get(params["requestId"], params["requestId"])
                visit.failed_requests.append((url, params.get("errorText", "")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.console_errors.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
                )
            elif method == "Runtime.exceptionThrown":
                visit.exceptions.append(params["exceptionDetails"].get("text", ""))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                visit.console_errors.append(params["entry"].get("text", ""))
        return visit
    finally:
        if devtools is not None:
            with contextlib.suppress(Exception):
                devtools.call("Browser.close")
            devtools.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- one browser, many pages: widths, accessibility, print ---------------------------------------

SCROLL_WIDTH = """JSON.stringify([document.scrollingElement.scrollWidth, window.innerWidth,
  Array.from(document.querySelectorAll('body *')).filter(function (e) {
    var box = e.getBoundingClientRect(); return box.right > window.innerWidth + 0.5 &&
      !e.closest('.kpi-scroll, .kpi-chart-box');
  }).slice(0, 5).map(function (e) { return e.tagName + '.' + e.className; })])"""

# WCAG 2.1 levels A and AA, as axe-core names them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(function (r) { return JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' ') + ': ' +
              n.failureSummary; })};
  })); })"""


class Browser:
    """One headless Chromium, offline, for many pages: `with Browser(chromium, profile) as b:`.

    `open(page, width)` loads a page at a viewport width (CSS px); then `scroll_width()`,
    `axe(source)` and `pdf()` look at what is loaded."""

    def __init__(self, chromium: str, profile: Path, timeout: float = 60):
        self.chromium, self.profile, self.timeout = chromium, profile, timeout
        self.process: subprocess.Popen | None = None
        self.devtools: _DevTools | None = None
        self.session = ""

    def __enter__(self) -> Browser:
        self.profile.mkdir(parents=True, exist_ok=True)
        (self.profile / "DevToolsActivePort").unlink(missing_ok=True)  # a previous run's port
        command = [
            self.chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            "about:blank",
        ]
        self._log = (self.profile / "chromium.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            url = _devtools_url(self.profile, self.process, self.timeout)
            self.devtools = _DevTools(url, self.timeout)
            target = self.devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.devtools.call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}
            )["sessionId"]
            for domain in ("Page", "Runtime"):
                self.devtools.call(f"{domain}.enable", session=self.session)
            self.devtools.call(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
                session=self.session,
            )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.devtools is not None:
            with contextlib.suppress(Exception):
                self.devtools.call("Browser.close")
            self.devtools.close()
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def open(self, page: Path, width: int = 1280, height: int = 900) -> None:
        assert self.devtools is not None
        self.devtools.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session=self.session,
        )
        self.devtools.events.clear()
        self.devtools.call("Page.navigate", {"url": page.as_uri()}, session=self.session)
        if not self.devtools.wait_for("Page.loadEventFired", time.monotonic() + self.timeout):
            raise TimeoutError(f"{page} did not load")

    def evaluate(self, expression: str, *, promise: bool = False) -> object:
        assert self.devtools is not None
        reply = self.devtools.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": promise},
            session=self.session,
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression[:60]}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def emulate_media(self, media: str) -> None:
        """CSS media of the loaded page: "print", "screen", or "" (back to the default)."""
        assert self.devtools is not None
        self.devtools.call("Emulation.setEmulatedMedia", {"media": media}, session=self.session)

    def scroll_width(self) -> tuple[int, int, list[str]]:
        """document.scrollingElement.scrollWidth, window.innerWidth, and up to five elements
        that reach past the window (outside a scrolling box)."""
        width, inner, over = json.loads(str(self.evaluate(SCROLL_WIDTH)))
        return width, inner, over

    def axe(self, source: str) -> list[dict]:
        """axe-core's WCAG 2.1 A and AA violations on the loaded page (`source`: axe.min.js)."""
        self.evaluate(source)
        return json.loads(str(self.evaluate(AXE_RUN % json.dumps(AXE_TAGS), promise=True)))

    def pdf(self) -> bytes:
        """The loaded page printed to A4 (the page's own @page rules apply)."""
        import base64

        assert self.devtools is not None
        reply = self.devtools.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "paperWidth": 8.27, "paperHeight": 11.69},
            session=self.session,
        )
        return base64.b64decode(reply["data"])
