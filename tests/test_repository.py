"""The files HACS and hassfest read, and the translations, stay consistent."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import re

from homeassistant.util.yaml import load_yaml

from custom_components.plex_butler.butler.evidence import BEHAVIORS
from custom_components.plex_butler.button import LIBRARY_BUTTONS, SERVER_BUTTONS, TASK_BUTTONS
from custom_components.plex_butler.calendar import MAINTENANCE_CALENDAR
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


# The layers, lowest first: each module imports only from its own layer and those before it. The
# client (`api/`) and the state machine (`butler/`) never import Home Assistant: the client could be
# published on its own, and the state machine is tested without a Home Assistant. The capture
# recorder stands apart: it uses the client alone.
LAYERS = (
    ("api/",),
    ("butler/",),
    ("const", "errors", "store", "identifiers", "publish", "library_coordinator", "coordinator"),
)
WITHOUT_HOME_ASSISTANT = ("api/", "butler/", "capture/")


def _module(path: Path) -> str:
    """`api/client`, `coordinator`, `voice/intents`: the module's path in the integration."""
    return path.relative_to(INTEGRATION).with_suffix("").as_posix()


def _layer(module: str) -> int:
    """The module's layer; everything not listed (platforms, flows, voice, actions) is on top."""
    for depth, layer in enumerate(LAYERS):
        for place in layer:
            if module.startswith(place) if place.endswith("/") else module == place:
                return depth
    return len(LAYERS)


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """The integration's modules that `path` imports, and the other top-level packages."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own: set[str] = set()
    others: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = path.parent.parents[node.level - 2] if node.level > 1 else path.parent
            for name in [node.module] if node.module else [a.name for a in node.names]:
                target = base.joinpath(*name.split("."))
                own.add(_module(target if target.is_dir() else target.with_suffix(".py")))
        elif isinstance(node, ast.ImportFrom):
            others.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            others.update(alias.name.split(".")[0] for alias in node.names)
    return own, others


def test_imports_flow_one_way() -> None:
    """Client, then state machine, then coordinator, then entities; no Home Assistant below."""
    for path in sorted(INTEGRATION.rglob("*.py")):
        module = _module(path)
        own, others = _imports(path)
        if module.startswith("capture/"):
            assert all(name.startswith(("api/", "capture/")) for name in own), (module, own)
        else:
            higher = {name for name in own if _layer(name) > _layer(module)}
            assert not higher, (module, higher)
        if module.startswith(WITHOUT_HOME_ASSISTANT):
            assert "homeassistant" not in others, module


def test_the_tests_mirror_the_integrations_folders() -> None:
    """Each folder of the integration's code has a folder of tests of the same name."""
    folders = {path.parent.name for path in INTEGRATION.glob("*/__init__.py")}
    assert folders == {"api", "butler", "capture", "voice"}
    for folder in folders:
        assert list((ROOT / "tests" / folder).glob("test_*.py")), folder


def test_tests_write_no_file_of_the_tree() -> None:
    """A run of the tests leaves the tree as it was: screenshots go to build/, not docs/."""
    writes = re.compile(r"\((\w+) / [^)]*\)\.write_(?:bytes|text)\(")
    tracked = {"DOCS", "REPO", "ROOT", "INTEGRATION"}
    for path in (ROOT / "tests").rglob("*.py"):
        for folder in writes.findall(path.read_text(encoding="utf-8")):
            assert folder not in tracked, f"{path.name} writes into {folder}"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored
