"""Turn the call scenarios (exercises/appels/*.yml) into JSON assets for the browser.

Each file is validated by the simulator's own loader, with the objection library of
exercises/objections/, and its example conversations are replayed: a broken file or an
example that no longer gives what it expects fails the build, with the transcript. The
browser receives exactly what `python -m simulator check` accepts, every objection written out.
After the pages are built, every course link of every criterion must lead to an existing
section (`check_course_links`).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from simulator import ScenarioError, load_scenario
from simulator.authoring import AuthoringError
from simulator.cli import example_failures
from simulator.debrief import CORE_CRITERIA, course_link
from simulator.library import load_library
from simulator.scenario import scenario_to_dict
from site_build.passed_checks import PassedChecks
from site_build.project import OBJECTIONS



REPLAYED = "replayed-examples.json"  # in the build cache: scenarios whose examples passed


def load_all(scenario_dir: Path, project_root: Path, replay: bool = True,
             cache_dir: Path | None = None) -> list[dict]:
    """Validate the library and every scenario, replay their examples; raise ScenarioError
    naming each broken file, line and field, or each failing example with its transcript.

    With cache_dir, a scenario whose examples passed with the same file, simulator code and
    objection library is not replayed again (see site_build.passed_checks)."""
    try:
        library = load_library(project_root / OBJECTIONS, project_root)
    except AuthoringError as exc:
        raise ScenarioError(exc.errors) from None
    record = PassedChecks(cache_dir if replay else None, REPLAYED, project_root)
    scenarios, errors, seen = [], [], {}
    for path in sorted(scenario_dir.glob("*.y*ml")):
        rel = path.relative_to(project_root).as_posix()
        try:
            scenario = load_scenario(path, name=rel, library=library)
        except ScenarioError as exc:
            errors.extend(exc.errors)
            continue
        data = scenario_to_dict(scenario)
        if data["id"] in seen:
            errors.append(f"{rel}:1: scénario « {data['id']} », champ « id » : déjà utilisé par {seen[data['id']]}")
            continue
        seen[data["id"]] = rel
        if replay:
            key = record.key(path.read_bytes())
            failures = [] if record.passed_before(key) else example_failures(scenario, rel)
            if failures:
                errors.extend(failures)
            else:
                record.passed(key)
        scenarios.append(data)
    record.save()
    if errors:
        raise ScenarioError(errors)
    return scenarios


def summary(scenario: dict) -> dict:
    """What the scenario picker needs, without the hidden persona state."""
    keys = ("id", "title", "level", "order", "situation", "duration")
    return {k: scenario[k] for k in keys if k in scenario}


def write_assets(scenarios: list[dict], dest: Path) -> list[Path]:
    """Write one JSON file per scenario plus index.json; return the paths written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    scenarios = sorted(scenarios, key=lambda s: (s.get("order", 99), s["id"]))
    for scenario in scenarios:
        path = dest / f"{scenario['id']}.json"
        path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    index = dest / "index.json"
    index.write_text(
        json.dumps([summary(s) for s in scenarios], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    written.append(index)
    return written


def _criteria_links(scenario: dict):
    """(criterion id, course link) of every criterion a call of this scenario can show."""
    found = {cid: c["course"] for cid, c in CORE_CRITERIA.items()}
    for speaker in (scenario["persona"], scenario.get("gatekeeper")):
        for objection in (speaker or {}).get("objections", []):
            for crit in objection.get("criteria", []):
                if crit.get("course"):
                    found[crit["id"]] = crit["course"]
    for crit in scenario.get("criteria", []):
        if crit.get("course"):
            found[crit["id"]] = crit["course"]
    return sorted(found.items())


_ID = re.compile(r"""\bid=["']([^"']+)["']""")


def check_course_links(scenarios: list[dict], site_dir: Path) -> list[str]:
    """Every "Revoir dans le cours" link must open an existing page at an existing section."""
    problems = []
    ids_by_page: dict = {}
    for scenario in scenarios:
        for cid, course in _criteria_links(scenario):
            url, _ = course_link(course, {})
            page_url, _, anchor = url.partition("#")
            page = site_dir / page_url.replace("../", "", 1) / "index.html"
            if page not in ids_by_page:
                ids_by_page[page] = ({html.unescape(i) for i in _ID.findall(page.read_text(encoding="utf-8"))}
                                     if page.is_file() else None)
            ids = ids_by_page[page]
            if ids is None:
                problems.append(f"scénario « {scenario['id']} », critère « {cid} » : la page du cours "
                                f"docs/{course.split('#')[0]} n’existe pas")
            elif anchor and anchor not in ids:
                problems.append(f"scénario « {scenario['id']} », critère « {cid} » : la section « #{anchor} » "
                                f"n’existe pas dans docs/{course.split('#')[0]} (un titre a changé ?)")
    return sorted(set(problems))
