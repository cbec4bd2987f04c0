"""The home page's course map repeats each module's reading time and their total: a figure
copied by hand drifts when a module grows. These checks say where."""

import re

from unit_helpers import ROOT, needs_cpython

HOME = ROOT / "docs" / "index.md"


def _reading_times() -> dict:
    times = {}
    for page in sorted((ROOT / "docs" / "modules").glob("*.md")):
        text = page.read_text(encoding="utf-8").replace("\u00a0", " ")
        found = re.search(r"Temps de lecture\s*:\s*(\d+)\s*min", text)
        assert found, f"{page.name}: pas de « Temps de lecture : N min »"
        times[page.name] = int(found.group(1))
    return times


@needs_cpython
def test_the_course_map_gives_each_modules_own_reading_time():
    home = HOME.read_text(encoding="utf-8").replace("\u00a0", " ")
    on_map = {name: int(minutes) for name, minutes in
              re.findall(r"\(modules/([^)]+\.md)\) <span class=\"rp-map__time\">(\d+) min</span>", home)}
    assert on_map == _reading_times()


@needs_cpython
def test_the_home_page_announces_the_total_reading_time():
    home = HOME.read_text(encoding="utf-8").replace("\u00a0", " ")
    hours, minutes = map(int, re.search(r"environ (\d+) h (\d+) de lecture", home).groups())
    assert abs(hours * 60 + minutes - sum(_reading_times().values())) <= 5
