"""What a HACS reviewer checks: manifest.json, hacs.json and the files beside them.

hassfest has no offline form for a custom integration, and HACS's action needs GitHub. Their
rules for what this integration has are written out here as problems found in a folder, from
Home Assistant's script/hassfest (manifest.py: the schema, a custom integration's version, the
key order; services.py: a name and description for each field, which it demands of core
integrations and which this one keeps in its translations too), Home Assistant's loader (a custom
integration with an invalid version is not loaded) and HACS's validators (its manifest schema, and
hacs.json's keys). Each check also runs on a broken copy of the integration, which it must find
wrong.
"""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
import shutil
from typing import Any
from urllib.parse import urlparse

from awesomeversion import AwesomeVersion, AwesomeVersionException, AwesomeVersionStrategy
from homeassistant.util.yaml import load_yaml
import pytest

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "plex_butler"

# hassfest's and HACS's required keys, and what this integration promises beside them: a
# config flow, its type (hassfest's default, "hub", would be wrong: one server is one device),
# and its requirements (none: the Plex client is part of the integration).
REQUIRED_KEYS = (
    "domain", "name", "codeowners", "config_flow", "documentation", "integration_type",
    "iot_class", "issue_tracker", "requirements", "version",
)  # fmt: skip
IOT_CLASSES = (
    "assumed_state", "calculated", "cloud_polling", "cloud_push", "local_polling", "local_push",
)  # fmt: skip
INTEGRATION_TYPES = ("device", "entity", "hardware", "helper", "hub", "service", "system")
# What Home Assistant's loader and hassfest accept as a custom integration's version.
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]
# HACS refuses any other key in hacs.json; `name` is the one it requires.
HACS_KEYS = (
    "content_in_root", "country", "filename", "hacs", "hide_default_branch", "homeassistant",
    "name", "persistent_directory", "render_readme", "zip_release",
)  # fmt: skip


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _valid_version(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        AwesomeVersion(value, ensure_strategy=VERSION_STRATEGIES)
    except AwesomeVersionException:
        return False
    return True


def _https_url(value: Any) -> bool:
    url = urlparse(value) if isinstance(value, str) else None
    return bool(url and url.scheme == "https" and url.netloc)


def _sorted_as_hassfest_wants(manifest: dict[str, Any]) -> bool:
    keys = list(manifest)
    return keys[:2] == ["domain", "name"] and keys[2:] == sorted(keys[2:])


def _owners(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(owner, str) and owner.startswith("@") for owner in value
    )


# Each rule of a present key: the problem said when the value breaks it.
MANIFEST_VALUES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "domain": (lambda value: isinstance(value, str) and bool(value), "domain is not a name"),
    "name": (lambda value: isinstance(value, str) and bool(value), "name is not a name"),
    "version": (_valid_version, "version is not a valid version"),
    "documentation": (_https_url, "documentation is not an https address"),
    "issue_tracker": (_https_url, "issue_tracker is not an https address"),
    "iot_class": (IOT_CLASSES.__contains__, "unknown iot_class"),
    "integration_type": (INTEGRATION_TYPES.__contains__, "unknown integration_type"),
    "config_flow": (lambda value: isinstance(value, bool), "config_flow is not true or false"),
    "codeowners": (_owners, "a code owner is not a GitHub @name"),
    **{
        key: (lambda value: isinstance(value, list), f"{key} is not a list")
        for key in ("after_dependencies", "dependencies", "requirements", "zeroconf")
    },
}


def manifest_problems(folder: Path) -> list[str]:
    """What hassfest, the loader and HACS would say of the folder's manifest.json."""
    manifest = _json(folder / "manifest.json")
    problems = [f"no {key}" for key in REQUIRED_KEYS if key not in manifest]
    if not _sorted_as_hassfest_wants(manifest):
        problems.append("keys not sorted: domain, name, then alphabetical order")
    if manifest.get("domain") != folder.name:
        problems.append("domain does not match the folder's name")
    problems.extend(
        problem
        for key, (valid, problem) in MANIFEST_VALUES.items()
        if key in manifest and not valid(manifest[key])
    )
    return problems


def hacs_problems(root: Path) -> list[str]:
    """What HACS would say of the repository's hacs.json."""
    hacs = _json(root / "hacs.json")
    problems = [f"unknown key {key!r}" for key in hacs if key not in HACS_KEYS]
    if not isinstance(hacs.get("name"), str) or not hacs["name"]:
        problems.append("no name")
    if "homeassistant" in hacs and not _valid_version(hacs["homeassistant"]):
        problems.append("homeassistant is not a version")
    if not isinstance(hacs.get("render_readme", False), bool):
        problems.append("render_readme is not true or false")
    return problems


def _service_fields(spec: dict[str, Any] | None) -> tuple[set[str], set[str]]:
    """A service's fields, those in its sections included, and its sections."""
    fields = (spec or {}).get("fields", {})
    sections = {key for key, value in fields.items() if "fields" in value}
    names = {key for key in fields if key not in sections}
    names.update(key for section in sections for key in fields[section]["fields"])
    return names, sections


def files_problems(folder: Path) -> list[str]:
    """What the brand icon, the translations and the services' texts lack or have too much."""
    problems: list[str] = []
    icon = folder / "brand" / "icon.png"
    if not icon.is_file() or not icon.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"):
        problems.append("no brand/icon.png")
    strings_text = (folder / "strings.json").read_text(encoding="utf-8")
    if strings_text != (folder / "translations" / "en.json").read_text(encoding="utf-8"):
        # A custom integration's English is translations/en.json; strings.json is its source.
        problems.append("strings.json is not translations/en.json")
    if "[%key:" in strings_text:
        # Core integrations' references to common strings: never resolved for a custom one.
        problems.append("strings.json refers to [%key:...] strings")
    strings = json.loads(strings_text).get("services", {})
    services = load_yaml(str(folder / "services.yaml")) or {}
    problems.extend(
        f"{service} has no texts" for service in sorted(services.keys() - strings.keys())
    )
    problems.extend(
        f"{service} is translated but no service"
        for service in sorted(strings.keys() - services.keys())
    )
    for service in sorted(services.keys() & strings.keys()):
        texts = strings[service]
        problems.extend(
            f"{service} has no {text}" for text in ("name", "description") if not texts.get(text)
        )
        fields, sections = _service_fields(services[service])
        translated = texts.get("fields", {})
        for field in sorted(fields):
            problems.extend(
                f"{service}.{field} has no {text}"
                for text in ("name", "description")
                if not translated.get(field, {}).get(text)
            )
        problems.extend(
            f"{service}.{field} is translated but no field"
            for field in sorted(translated.keys() - fields)
        )
        translated_sections = texts.get("sections", {})
        problems.extend(
            f"{service} section {section} has no name"
            for section in sorted(sections)
            if not translated_sections.get(section, {}).get("name")
        )
        problems.extend(
            f"{service} section {section} is translated but no section"
            for section in sorted(translated_sections.keys() - sections)
        )
    return problems


def test_the_integration_is_what_hassfest_and_hacs_accept() -> None:
    """The manifest, hacs.json, the brand icon, the translations and services.yaml pass."""
    assert manifest_problems(INTEGRATION) == []
    assert hacs_problems(ROOT) == []
    assert files_problems(INTEGRATION) == []
    # The oldest release the tests run on is the one hacs.json promises.
    assert _json(ROOT / "hacs.json")["homeassistant"] == "2026.2.0"


type Breakage = Callable[[Path], None]


def _edit_json(relative: str, change: Callable[[dict[str, Any]], Any]) -> Breakage:
    def breakage(folder: Path) -> None:
        path = folder / relative
        data = _json(path)
        change(data)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    return breakage


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__delitem__(key)


def _reorder(data: dict[str, Any]) -> None:
    items = list(data.items())
    data.clear()
    data.update([items[1], items[0], *items[2:]])


def _move_version_first(data: dict[str, Any]) -> None:
    version = data.pop("version")
    rest = dict(data)
    data.clear()
    data.update({"domain": rest.pop("domain"), "name": rest.pop("name"), "version": version})
    data.update(rest)


def _drop_field_text(data: dict[str, Any]) -> None:
    del data["services"]["start_task"]["fields"]["task"]["description"]


def _add_field_text(data: dict[str, Any]) -> None:
    data["services"]["stop_all_tasks"]["fields"]["task"] = {"name": "Task", "description": "A task"}


def _drop_section_name(data: dict[str, Any]) -> None:
    del data["services"]["stop_task"]["sections"]["by_name"]


def _drop_service_texts(data: dict[str, Any]) -> None:
    del data["services"]["stop_all_tasks"]


def _edit_both(change: Callable[[dict[str, Any]], Any]) -> Breakage:
    """The same change to strings.json and translations/en.json: only the services' texts."""
    edits = [_edit_json(name, change) for name in ("strings.json", "translations/en.json")]

    def breakage(folder: Path) -> None:
        for edit in edits:
            edit(folder)

    return breakage


def _add_service_field(folder: Path) -> None:
    path = folder / "services.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "start_all_tasks:\n  fields:\n",
            "start_all_tasks:\n  fields:\n    dry_run:\n      selector:\n        boolean:\n",
        ),
        encoding="utf-8",
    )


MANIFEST_BREAKAGES: dict[str, tuple[Breakage, str]] = {
    **{
        f"without {key}": (_edit_json("manifest.json", _drop(key)), f"no {key}")
        for key in REQUIRED_KEYS
    },
    "name before domain": (
        _edit_json("manifest.json", _reorder),
        "keys not sorted: domain, name, then alphabetical order",
    ),
    "version among the first": (
        _edit_json("manifest.json", _move_version_first),
        "keys not sorted: domain, name, then alphabetical order",
    ),
    "another domain": (
        _edit_json("manifest.json", _set("domain", "plex")),
        "domain does not match the folder's name",
    ),
    "a version of words": (
        _edit_json("manifest.json", _set("version", "first release")),
        "version is not a valid version",
    ),
    "a version as a number": (
        _edit_json("manifest.json", _set("version", 1)),
        "version is not a valid version",
    ),
    "documentation over http": (
        _edit_json("manifest.json", _set("documentation", "http://example.com/docs")),
        "documentation is not an https address",
    ),
    "an issue tracker that is no address": (
        _edit_json("manifest.json", _set("issue_tracker", "GitHub issues")),
        "issue_tracker is not an https address",
    ),
    "an unknown iot_class": (
        _edit_json("manifest.json", _set("iot_class", "local_pull")),
        "unknown iot_class",
    ),
    "an unknown integration_type": (
        _edit_json("manifest.json", _set("integration_type", "server")),
        "unknown integration_type",
    ),
    "config_flow as a word": (
        _edit_json("manifest.json", _set("config_flow", "yes")),
        "config_flow is not true or false",
    ),
    "requirements as a string": (
        _edit_json("manifest.json", _set("requirements", "plexapi")),
        "requirements is not a list",
    ),
    "a code owner without @": (
        _edit_json("manifest.json", _set("codeowners", ["plex-butler"])),
        "a code owner is not a GitHub @name",
    ),
}

HACS_BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "an unknown key": (
        _edit_json("hacs.json", _set("domains", ["sensor"])),
        "unknown key 'domains'",
    ),
    "without name": (_edit_json("hacs.json", _drop("name")), "no name"),
    "homeassistant not a version": (
        _edit_json("hacs.json", _set("homeassistant", "latest")),
        "homeassistant is not a version",
    ),
}

FILES_BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "without the brand icon": (
        lambda folder: (folder / "brand" / "icon.png").unlink(),
        "no brand/icon.png",
    ),
    "a brand icon that is no PNG": (
        lambda folder: (folder / "brand" / "icon.png").write_text("icon"),
        "no brand/icon.png",
    ),
    "strings.json changed alone": (
        _edit_json("strings.json", lambda data: data["config"].__setitem__("abort", {})),
        "strings.json is not translations/en.json",
    ),
    "a reference to a common string": (
        _edit_both(lambda data: data["config"].__setitem__("step", {"x": {"title": "[%key:y%]"}})),
        "strings.json refers to [%key:...] strings",
    ),
    "a field without its description": (
        _edit_both(_drop_field_text),
        "start_task.task has no description",
    ),
    "a translated field that is not in services.yaml": (
        _edit_both(_add_field_text),
        "stop_all_tasks.task is translated but no field",
    ),
    "a new field without texts": (_add_service_field, "start_all_tasks.dry_run has no name"),
    "a section without its name": (
        _edit_both(_drop_section_name),
        "stop_task section by_name has no name",
    ),
    "a service without texts": (
        _edit_both(_drop_service_texts),
        "stop_all_tasks has no texts",
    ),
}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the repository's files that the checks read, to break."""
    copy = tmp_path / "repository"
    shutil.copytree(INTEGRATION, copy / "custom_components" / INTEGRATION.name)
    shutil.copy(ROOT / "hacs.json", copy / "hacs.json")
    return copy


@pytest.mark.parametrize(
    ("breakage", "problem"), MANIFEST_BREAKAGES.values(), ids=MANIFEST_BREAKAGES
)
def test_a_broken_manifest_is_found(broken: Path, breakage: Breakage, problem: str) -> None:
    """Each rule of the manifest's finds its breakage, and only the copy is broken."""
    folder = broken / "custom_components" / INTEGRATION.name
    assert manifest_problems(folder) == []
    breakage(folder)
    assert problem in manifest_problems(folder)


@pytest.mark.parametrize(("breakage", "problem"), HACS_BREAKAGES.values(), ids=HACS_BREAKAGES)
def test_a_broken_hacs_json_is_found(broken: Path, breakage: Breakage, problem: str) -> None:
    """HACS's rules for hacs.json find each breakage."""
    assert hacs_problems(broken) == []
    breakage(broken)
    assert problem in hacs_problems(broken)


@pytest.mark.parametrize(("breakage", "problem"), FILES_BREAKAGES.values(), ids=FILES_BREAKAGES)
def test_broken_files_beside_the_manifest_are_found(
    broken: Path, breakage: Breakage, problem: str
) -> None:
    """The brand icon, the English texts and the services' texts: each breakage is found."""
    folder = broken / "custom_components" / INTEGRATION.name
    assert files_problems(folder) == []
    breakage(folder)
    assert problem in files_problems(folder)
