"""Headless Chromium (Debian's, never a downloaded one) against the built site on localhost.

Every request is watched: one that leaves localhost is blocked and fails the test.
"""

import contextlib
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(directory):
    """A static server for a built site on a free localhost port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def base_url(built_site):
    with serving(built_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def zensical_url(zensical_site):
    """The course built by Zensical and finished by `python -m site_build finish`."""
    with serving(zensical_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def nginx_url(built_site, tmp_path_factory):
    """The built course behind Debian's nginx with the shipped rules (deploy/cours.conf)."""
    from tests.browser.nginx import NginxError, nginx_serving

    try:
        with nginx_serving(built_site.site, tmp_path_factory.mktemp("nginx")) as url:
            yield url
    except NginxError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it) "
                    "or set CHROMIUM=/path/to/chromium")
    args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


class Traffic:
    """Requests seen by the page and its workers."""

    def __init__(self):
        self.urls: list[str] = []
        self.foreign: list[str] = []


@pytest.fixture
def traffic():
    return Traffic()


@pytest.fixture
def context(browser, traffic, request):
    # The course's service worker downloads the whole course in the background: only the
    # tests marked `service_worker` (offline use, updates, nginx) let it run.
    workers = "allow" if request.node.get_closest_marker("service_worker") else "block"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                  service_workers=workers)

    def guard(route):
        url = route.request.url
        traffic.urls.append(url)
        if urlparse(url).hostname not in LOCAL_HOSTS and not url.startswith(("data:", "blob:")):
            traffic.foreign.append(url)
            return route.abort()
        return route.continue_()

    context.route("**/*", guard)
    yield context
    context.close()
    assert traffic.foreign == [], f"requests left localhost: {traffic.foreign}"


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert errors == [], f"JavaScript errors on the page: {errors}"
