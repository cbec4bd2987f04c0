"""The course pages as a learner uses them: French search, printable toolkit, tooltips."""

from playwright.sync_api import expect


def search(page, query):
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)  # Material's search reacts to key events
    return page.locator(".md-search-result__item")


def test_search_finds_words_typed_without_accents(page, base_url):
    page.goto(f"{base_url}/")
    results = search(page, "echeance")
    expect(results.first).to_be_visible(timeout=10_000)
    shown = results.evaluate_all("items => items.map(item => item.innerText)")  # what the eye sees
    assert any("échéance" in text.lower() for text in shown), shown
    # The accent-free copies that make this work stay invisible in the previews.
    assert not any("echeance" in text.lower() for text in shown), shown


def test_search_finds_accented_words_too(page, base_url):
    page.goto(f"{base_url}/")
    results = search(page, "réserve de propriété")
    expect(results.first).to_be_visible(timeout=10_000)


def test_printed_toolkit_page_shows_only_the_content(page, base_url):
    page.goto(f"{base_url}/boite-a-outils/calendrier/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator(".md-content h1")).to_be_visible()


def test_glossary_terms_have_a_tooltip(page, base_url):
    page.goto(f"{base_url}/modules/04-acompte/")
    term = page.locator("abbr[title]").first
    expect(term).to_be_attached()
    assert len(term.get_attribute("title")) > 10
