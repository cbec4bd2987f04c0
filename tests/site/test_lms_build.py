"""The plain site stays as it was: what the SCORM package adds (make scorm) is not in it.

The package itself is tested in tests/unit/test_scorm.py (manifest, schemas, zip) and
tests/browser/test_scorm.py (in a SCORM runtime).
"""

import pytest


@pytest.fixture(params=["mkdocs", "zensical"])
def any_site(request):
    return request.getfixturevalue("built_site" if request.param == "mkdocs" else "zensical_site")


def test_the_plain_site_loads_nothing_of_the_lms(any_site):
    site = any_site.site
    assert not (site / "scorm.html").exists() and not (site / "imsmanifest.xml").exists()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "lms-links.js" not in text and "scorm.js" not in text, page
    assert (site / "pyodide" / "pyodide.mjs").is_file() and not (site / "pyodide" / "pyodide.js").exists()


def test_the_plain_site_says_progress_stays_in_the_browser(any_site):
    page = (any_site.site / "progression" / "index.html").read_text(encoding="utf-8")
    assert 'class="rp-web-only"' in page and ".rp-web-only{display:none" not in page
