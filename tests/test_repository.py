"""The files HACS and hassfest read, and the translations, stay consistent."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import re

from homeassistant.util.yaml import load_yaml

from custom_components.plex_butler.button import LIBRARY_BUTTONS, SERVER_BUTTONS, TASK_BUTTONS
from custom_components.plex_butler.calendar import MAINTENANCE_CALENDAR
from custom_components.plex_butler.evidence import BEHAVIORS
from custom_components.plex_butler.select import TASK_BEHAVIOR, WINDOW_SELECTS
from custom_components.plex_butler.sensor import BACKUP_PATH_SENSOR, SERVER_SENSORS, TASK_SENSORS
from custom_components.plex_butler.switch import TASK_SWITCH

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "plex_butler"


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_entity_and_action_is_translated_and_has_an_icon() -> None:
    """Each translation key in the platform tables has a name and an icon; so has each action."""
    strings = _json(INTEGRATION / "strings.json")
    icons = _json(INTEGRATION / "icons.json")
    for platform, descriptions in (
        ("sensor", (*TASK_SENSORS, *SERVER_SENSORS, BACKUP_PATH_SENSOR)),
        ("button", (*TASK_BUTTONS, *SERVER_BUTTONS, *LIBRARY_BUTTONS)),
        ("calendar", (MAINTENANCE_CALENDAR,)),
        ("select", (*WINDOW_SELECTS, TASK_BEHAVIOR)),
        ("switch", (TASK_SWITCH,)),
    ):
        for description in descriptions:
            key = description.translation_key
            # An entity without a name of its own is its device's main one, named as the device.
            assert description.name is None or strings["entity"][platform][key]["name"], key
            assert icons["entity"][platform][key]["default"], key
    for platform, key, options in (
        ("sensor", "task_status", TASK_SENSORS[0].options),
        # A behaviour tied to no task has a select of its own, named after the setting.
        *(("select", key, BEHAVIORS) for key in ("task_behavior", "behavior")),
    ):
        states = strings["entity"][platform][key]["state"]
        assert set(states) == set(options or ()), key
        assert set(icons["entity"][platform][key]["state"]) == set(states), key

    # Their names and descriptions: tests/test_manifest.py.
    services = load_yaml(str(INTEGRATION / "services.yaml"))
    assert set(services) == set(icons["services"])


# The quality scale's rules, as hassfest's quality_scale.py lists them (ALL_RULES); hassfest
# checks the file of core integrations only.
QUALITY_SCALE_RULES = {
    # Bronze
    "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow",
    "config-flow-test-coverage", "dependency-transparency", "docs-actions", "docs-conditions",
    "docs-high-level-description", "docs-installation-instructions", "docs-removal-instructions",
    "docs-triggers", "entity-event-setup", "entity-unique-id", "has-entity-name", "runtime-data",
    "test-before-configure", "test-before-setup", "unique-config-entry",
    # Silver
    "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
    "docs-installation-parameters", "entity-unavailable", "integration-owner",
    "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    # Gold
    "devices", "diagnostics", "discovery", "discovery-update-info", "docs-data-update",
    "docs-examples", "docs-known-limitations", "docs-supported-devices",
    "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
    "entity-category", "entity-device-class", "entity-disabled-by-default", "entity-translations",
    "exception-translations", "icon-translations", "reconfiguration-flow", "repair-issues",
    "stale-devices",
    # Platinum
    "async-dependency", "inject-websession", "strict-typing",
}  # fmt: skip


def test_quality_scale_statuses_are_valid() -> None:
    """Every rule is there, done, todo or exempt; exempt and todo rules say why."""
    rules = load_yaml(str(INTEGRATION / "quality_scale.yaml"))["rules"]
    assert set(rules) == QUALITY_SCALE_RULES
    for rule, value in rules.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in ("done", "todo", "exempt"), rule
        if status != "done":
            assert value["comment"], rule


# The layers, lowest first: each imports only from the layers before it, and the first two never
# import Home Assistant (the client could be published on its own; the state machine is tested
# without a Home Assistant).
LAYERS = (
    ("models", "log_lines", "parsing", "folders", "bodies", "addressing", "library", "client"),
    (
        "schedule",
        "evidence",
        "snapshot",
        "server_log",
        "runs",
        "asked",
        "butler",
        "pacing",
        "problems",
        "run_log",
        "calendar_events",
    ),
    ("const", "errors", "store", "library_coordinator", "coordinator"),
)


def _imports(module: str) -> set[str]:
    tree = ast.parse((INTEGRATION / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_imports_flow_one_way() -> None:
    """Client, then state machine, then coordinator, then entities; no Home Assistant below."""
    for depth, layer in enumerate(LAYERS):
        allowed = {f".{module}" for lower in LAYERS[: depth + 1] for module in lower}
        for module in layer:
            imports = _imports(module)
            own = {name for name in imports if name.startswith(".")}
            assert own <= allowed, (module, own - allowed)
            if depth < 2:
                assert not {n for n in imports if n.split(".")[0] == "homeassistant"}, module


def test_tests_write_no_file_of_the_tree() -> None:
    """A run of the tests leaves the tree as it was: screenshots go to build/, not docs/."""
    writes = re.compile(r"\((\w+) / [^)]*\)\.write_(?:bytes|text)\(")
    tracked = {"DOCS", "REPO", "ROOT", "INTEGRATION"}
    for path in (ROOT / "tests").rglob("*.py"):
        for folder in writes.findall(path.read_text(encoding="utf-8")):
            assert folder not in tracked, f"{path.name} writes into {folder}"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored
