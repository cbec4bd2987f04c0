"""Turn the call scenarios (exercises/appels/*.yml) into JSON assets for the browser.

Each file is validated by the simulator's own loader, so the browser receives
exactly what `python -m simulator check` accepts.
"""

from __future__ import annotations

import json
from pathlib import Path

from simulator import ScenarioError, load_scenario
from simulator.scenario import scenario_to_dict


def load_all(scenario_dir: Path, project_root: Path) -> list[dict]:
    """Validate every scenario; raise ScenarioError naming each broken file and field."""
    scenarios, errors, seen = [], [], {}
    for path in sorted(scenario_dir.glob("*.y*ml")):
        rel = path.relative_to(project_root)
        try:
            data = scenario_to_dict(load_scenario(path))
        except ScenarioError as exc:
            message = str(exc)
            errors.append(message if str(rel) in message else f"{rel}: {message}")
            continue
        if data["id"] in seen:
            errors.append(f"{rel}: id: '{data['id']}' is already used by {seen[data['id']]}")
            continue
        seen[data["id"]] = rel
        scenarios.append(data)
    if errors:
        raise ScenarioError("\n".join(errors))
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
