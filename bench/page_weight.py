"""Weight of the report page's first load: bytes of JS and CSS transferred (tiles excluded).

    python -m bench.page_weight [--url http://127.0.0.1:8000] [--open-form]

Loads the public map page (which holds the report flow) in Debian's Chromium on a 360×740
phone with a cold cache, records every response through the DevTools protocol
(Network.loadingFinished gives the bytes on the wire, headers included), and prints, per
script and style sheet, the transferred bytes, the size of the file and its gzip size (what a
compressing proxy or server would send). Without --url the app is started on a free port
against DATABASE_URL (or the local cluster), which must be migrated.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

PHONE = {"width": 360, "height": 740}
KINDS = {"Script": "js", "Stylesheet": "css"}


@dataclass
class Resource:
    url: str
    kind: str
    transferred: int = 0
    size: int = 0
    gzip: int = 0


def chromium() -> str:
    found = os.environ.get("MORHARITA_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise SystemExit("No Chromium found: install Debian's chromium or set MORHARITA_CHROMIUM")
    return found


def start_app() -> tuple[str, object]:
    """Serve the app on a free loopback port in a thread; returns (url, server)."""
    import uvicorn

    from app import localdb
    from app.config import Settings
    from app.main import create_app

    settings = Settings()
    if not settings.database_url:
        settings = Settings(DATABASE_URL=localdb.up(settings).url())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the app did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def measure(url: str, open_form: bool) -> list[Resource]:
    """JS and CSS resources of one cold load of `url` (plus the form's first step)."""
    resources: dict[str, Resource] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block"
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        pending: dict[str, Resource] = {}

        def received(event: dict) -> None:
            kind = KINDS.get(event.get("type", ""))
            if kind:
                pending[event["requestId"]] = Resource(event["response"]["url"], kind)

        def finished(event: dict) -> None:
            resource = pending.pop(event["requestId"], None)
            if resource:
                resource.transferred = int(event["encodedDataLength"])
                resources[resource.url] = resource

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        bodies: dict[str, bytes] = {}
        page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
        page.goto(url, wait_until="networkidle")
        if open_form:
            page.click("#open-report")
            page.wait_for_load_state("networkidle")
        browser.close()
    for resource in resources.values():
        body = bodies.get(resource.url, b"")
        resource.size = len(body)
        resource.gzip = len(gzip.compress(body, compresslevel=6))
    return sorted(resources.values(), key=lambda r: (r.kind, -r.transferred))


def report(resources: list[Resource]) -> None:
    print(f"{'file':<58} {'transferred':>11} {'size':>9} {'gzip':>8}")
    for r in resources:
        print(f"{urlsplit(r.url).path:<58} {r.transferred:>11,} {r.size:>9,} {r.gzip:>8,}")
    for kind in ("js", "css"):
        part = [r for r in resources if r.kind == kind]
        print(
            f"{'total ' + kind + f' ({len(part)} files)':<58} "
            f"{sum(r.transferred for r in part):>11,} {sum(r.size for r in part):>9,} "
            f"{sum(r.gzip for r in part):>8,}"
        )
    print(
        f"{'total js + css':<58} {sum(r.transferred for r in resources):>11,} "
        f"{sum(r.size for r in resources):>9,} {sum(r.gzip for r in resources):>8,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running app (default: start one on a free port)")
    parser.add_argument("--open-form", action="store_true", help="also open the report form")
    args = parser.parse_args()
    server = None
    url = args.url
    if not url:
        url, server = start_app()
    try:
        report(measure(url.rstrip("/") + "/", args.open_form))
    finally:
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
