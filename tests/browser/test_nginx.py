"""The built course behind Debian's nginx with deploy/cours.conf: headers, then the browser.

What a production server must get right for this site: WebAssembly's type, precompressed
files sent as they are, caching (immutable for content-hashed names, revalidation for the
rest, never for the service worker), and the course working through it, offline included.
"""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline import check_a_call_and_a_letter_work_offline, check_unvisited_pages_open_offline


def get(url, encoding=None, headers=None):
    request = urllib.request.Request(url, headers={**({"Accept-Encoding": encoding} if encoding else {}),
                                                   **(headers or {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("encoding, suffix", [("br, gzip", ".br"), ("gzip", ".gz"), (None, "")])
def test_precompressed_files_are_sent_as_they_are(nginx_url, built_site, encoding, suffix):
    site = built_site.site
    for path, file in (("/", "index.html"), ("/pyodide/pyodide.asm.wasm", "pyodide/pyodide.asm.wasm"),
                       ("/assets/engine-worker.js", "assets/engine-worker.js")):
        status, headers, body = get(nginx_url + path, encoding)
        assert status == 200, path
        assert body == (site / (file + suffix)).read_bytes(), f"{path} with Accept-Encoding {encoding}"
        assert headers.get("Content-Encoding") == {".br": "br", ".gz": "gzip", "": None}[suffix]
        assert "Accept-Encoding" in headers.get("Vary", "")


def test_types_that_browsers_insist_on(nginx_url, built_site):
    wheel = next((built_site.site / "pyodide").glob("simulator-*.whl")).name
    expected = {
        "/pyodide/pyodide.asm.wasm": "application/wasm",
        "/pyodide/pyodide.mjs": "text/javascript",
        "/assets/offline.js": "application/javascript",
        "/manifest.webmanifest": "application/manifest+json",
        f"/pyodide/{wheel}": "application/zip",
        "/": "text/html",
    }
    for path, kind in expected.items():
        status, headers, _ = get(nginx_url + path, "br")
        assert status == 200, path
        assert headers.get_content_type() == kind, path
        assert headers.get("X-Content-Type-Options") == "nosniff", path


def test_caching_immutable_for_hashed_names_revalidation_for_the_rest(nginx_url, built_site):
    bundle = next((built_site.site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    _, headers, _ = get(f"{nginx_url}/assets/javascripts/{bundle}", "br")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/modules/05-moyens-de-paiement/", "/assets/progress.js", "/pyodide/pyodide-lock.json",
                 "/pyodide/pyodide.asm.wasm", "/manifest.webmanifest"):
        _, headers, _ = get(nginx_url + path, "br")
        assert headers["Cache-Control"] == "no-cache", path
    _, headers, _ = get(f"{nginx_url}/sw.js", "br")
    assert headers["Cache-Control"] == "no-store"
    # Revalidation costs a 304 and no body.
    _, headers, _ = get(f"{nginx_url}/pyodide/pyodide.asm.wasm", "br")
    status, _, body = get(f"{nginx_url}/pyodide/pyodide.asm.wasm", "br", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")


def test_folders_redirect_on_the_same_host_and_unknown_pages_get_the_course_404(nginx_url):
    request = urllib.request.Request(f"{nginx_url}/modules/05-moyens-de-paiement")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    with pytest.raises(urllib.error.HTTPError) as moved:
        urllib.request.build_opener(NoRedirect).open(request)
    assert moved.value.code == 301
    assert moved.value.headers["Location"] == "/modules/05-moyens-de-paiement/"
    status, _, body = get(f"{nginx_url}/nulle-part/")
    assert status == 404 and "Se faire payer à temps" in body.decode()


# ------------------------------------------------------------------ in the browser

def test_an_exercise_behind_nginx(page, nginx_url):
    page.goto(f"{nginx_url}/auteurs/")
    qcm = page.locator("#ex-exemple-qcm")
    expect(qcm).to_have_attribute("data-state", "ready")
    qcm.get_by_label("Quand le client la réclame.").check()
    qcm.get_by_role("button", name="Valider").click()
    expect(qcm.locator(".rp-ex__feedback")).to_contain_text(re.compile(r"\w"))
    assert page.evaluate("localStorage.getItem('rp:v1:ex:exemple-qcm')") is not None


@pytest.mark.service_worker
def test_every_page_opens_offline_behind_nginx(context, page, built_site, nginx_url):
    check_unvisited_pages_open_offline(context, page, built_site.site, nginx_url)


@pytest.mark.service_worker
def test_a_call_and_a_writing_check_behind_nginx_then_offline(context, page, built_site, nginx_url):
    check_a_call_and_a_letter_work_offline(context, page, built_site.site, nginx_url)
