"""A live shop on a local port and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
TABLET = {"viewport": {"width": 1024, "height": 768}, "locale": "zh-CN"}
TIMEOUT_MS = 15_000


@pytest.fixture
def live_server(app):
    """The shop served over real HTTP on 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-shop", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def browser():
    """Headless Chromium from the Debian package (never a downloaded one)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_context(browser, live_server: str, device: dict, **extra):
    """A fresh browser profile (cookies, storage) pointed at the live shop."""
    context = browser.new_context(base_url=live_server, **device, **extra)
    context.set_default_timeout(TIMEOUT_MS)
    return context
