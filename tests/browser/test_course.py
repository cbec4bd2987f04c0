"""The course pages as a learner uses them: French search, printable toolkit, tooltips."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


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
    # (An identifier such as `echeance_future` in the authors' guide is real text, not a copy.)
    assert not any(re.search(r"\becheance\b", text.lower()) for text in shown), shown


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


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_call_preparation_sheet_prints_on_one_page(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base_url}/boite-a-outils/fiche-appel/")
    page.emulate_media(media="print", color_scheme=scheme)
    # A form to fill in: no empty header row; boxes to tick, without bullets as well.
    expect(page.locator(".imprimable table").first.locator("thead")).to_be_hidden()
    checklist = page.locator(".imprimable ul.rp-checklist").first
    assert checklist.evaluate("ul => getComputedStyle(ul).listStyleType") == "none"
    # Printed from the dark scheme, it is still dark text on white paper.
    colors = page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('.md-typeset td')).color,
        getComputedStyle(document.querySelector('.md-typeset table')).fontSize,
        getComputedStyle(document.querySelector('.md-typeset .imprimable p, .md-typeset .imprimable li')).fontSize]""")
    assert colors[0] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), colors
    assert colors[1].startswith("rgba(0, 0, 0") or colors[1].startswith("rgb(0, 0, 0"), colors
    assert float(colors[2][:-2]) >= float(colors[3][:-2]) - 0.5, "table text as large as the rest"
    assert pdf_pages(page.pdf(format="A4")) == 1


def test_glossary_terms_have_a_tooltip_reachable_by_keyboard_and_touch(page, base_url):
    page.goto(f"{base_url}/modules/04-acompte/")
    expect(page.locator(".md-content abbr[title]").first).to_be_attached()
    term = page.locator(".md-content abbr[tabindex='0']").first  # the first use of each term is a tab stop
    definition = term.get_attribute("title")
    assert len(definition) > 10
    word = term.inner_text().strip().lower()
    later = page.locator(".md-content abbr").filter(has_text=re.compile(f"^{re.escape(word)}$", re.I))
    assert later.evaluate_all("terms => terms.filter((t) => t.tabIndex === 0).length") == 1  # not every use
    term.focus()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(definition)
    expect(term).to_have_attribute("aria-describedby", re.compile("."))


def axe_serious(page):
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document)).violations
        .filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => [v.id, v.nodes.map((n) => n.target.join(' ')).slice(0, 4)])""")


# --------------------------------------------------------------------------- the home page and the menu


def test_the_home_page_starts_a_new_learner_and_resumes_a_returning_one(page, base_url):
    page.goto(f"{base_url}/")
    hero = page.locator(".rp-hero")
    expect(hero.get_by_role("heading", level=1)).to_contain_text("Se faire payer à temps")
    expect(hero).to_contain_text(re.compile(r"environ\s\d\sh\s\d\d\sde lecture"))   # the figure: tests/unit/test_home_page.py
    start = hero.locator(".rp-hero__start")
    expect(start).to_have_text("Commencer le cours")
    expect(start).to_have_attribute("href", re.compile("modules/00-bienvenue/$"))
    expect(page.locator(".rp-map > li")).to_have_count(11)  # module 0 to 10, each with its time
    expect(page.locator(".rp-map > li").nth(8)).to_contain_text("24 min")
    # A learner who opened module 3 comes back: the home page offers to resume there.
    page.locator(".rp-map a[href$='03-contrat-et-conditions/']").click()
    page.wait_for_url(re.compile("03-contrat-et-conditions/$"))
    page.goto(f"{base_url}/")
    expect(start).to_have_text("Reprendre : module 3")
    expect(start).to_have_attribute("href", re.compile("modules/03-contrat-et-conditions/$"))
    expect(hero.locator(".rp-hero__resume")).to_contain_text("Vous en êtes au module 3")


def test_finished_modules_are_ticked_on_the_map_and_in_the_menu(page, base_url):
    page.goto(f"{base_url}/modules/05-moyens-de-paiement/")
    for ex in page.locator(".rp-ex").all():
        ex.evaluate("ex => ex.dataset.exId")
    # Both exercises of module 5, answered right.
    ex = page.locator("#ex-m05-choisir")
    ex.get_by_label(re.compile("^Le prélèvement SEPA")).check()
    ex.get_by_role("button", name="Valider").click()
    tick = page.locator(".md-nav--primary a[href$='05-moyens-de-paiement/'] .rp-nav-state")
    expect(tick).to_have_class(re.compile("rp-nav-state--started"))  # at once, on the page itself
    page.evaluate("""() => { const key = 'rp:v1:module:05'; const m = JSON.parse(localStorage.getItem(key));
        m.succeeded = m.total; localStorage.setItem(key, JSON.stringify(m)); }""")
    page.goto(f"{base_url}/")
    expect(tick).to_have_class(re.compile("rp-nav-state--done"))
    expect(tick).to_contain_text("(terminé)")
    item = page.locator(".rp-map > li", has=page.locator("a[href$='05-moyens-de-paiement/']"))
    expect(item).to_have_class(re.compile("rp-map--done"))
    expect(item.locator(".rp-map__state")).to_have_text("✓ Terminé")
    # Module 5 done, last opened: "Reprendre" leads to the next one.
    expect(page.locator(".rp-hero__start")).to_have_text("Reprendre : module 6")


def test_the_authors_guide_is_out_of_the_learners_menu_but_still_in_the_site(page, base_url):
    page.goto(f"{base_url}/")
    expect(page.locator(".md-nav--primary").get_by_text("Guide des auteurs")).to_have_count(0)
    page.goto(f"{base_url}/a-propos/")
    page.get_by_role("link", name="guide des auteurs").click()
    expect(page.locator("#ex-exemple-qcm")).to_be_visible()


def test_the_footer_speaks_french_and_sources_are_links(page, base_url):
    page.goto(f"{base_url}/modules/03-contrat-et-conditions/")
    footer = page.locator(".md-footer-meta")
    expect(footer).not_to_contain_text("Made with")
    expect(footer).to_contain_text("pas un conseil juridique")
    expect(page.locator(".md-content a[href='https://www.banque-france.fr']").first).to_be_attached()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_page_has_no_serious_accessibility_violation(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base_url}/")
    expect(page.locator(".rp-hero")).to_be_visible()
    assert axe_serious(page) == []
