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
