"""Tests of the client's parsers: whatever the server sends, a model or PlexButlerResponseError."""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
import json
from typing import Any
from xml.etree import ElementTree as ET

from hypothesis import event, given, settings, strategies as st
import pytest

from custom_components.plex_butler.api.exceptions import PlexButlerResponseError
from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    PreferenceNotification,
    ServerIdentity,
    ServerInfo,
    Setting,
)
from custom_components.plex_butler.api.parsing import (
    parse_activities,
    parse_butler_tasks,
    parse_document,
    parse_identity,
    parse_notification,
    parse_server_info,
    parse_settings,
)

PROPERTY = settings(max_examples=200, deadline=None)

PARSERS: tuple[Callable[[dict[str, Any]], Any], ...] = (
    parse_identity,
    parse_server_info,
    parse_butler_tasks,
    parse_activities,
    parse_settings,
)
FIELD_TYPES = {"str": str, "int": int, "bool": bool}


# --- Checking what comes out -----------------------------------------------------------------


def check_model(model: Any) -> None:
    """A model's fields have exactly their declared types (a bool is no int here)."""
    if isinstance(model, tuple | list):
        for item in model:
            check_model(item)
        return
    assert dataclasses.is_dataclass(model)
    for model_field in dataclasses.fields(model):
        value = getattr(model, model_field.name)
        if model_field.type in FIELD_TYPES:
            assert type(value) is FIELD_TYPES[model_field.type], (model_field.name, value)
        elif model_field.type == "ActivityEvent":
            assert isinstance(value, ActivityEvent)
        else:
            check_model(value)
    if isinstance(model, ButlerTask):
        assert model.name
        assert model.title
    if isinstance(model, ServerInfo):
        assert model.friendly_name or not model.machine_identifier


def check_notifications(text: str) -> None:
    try:
        notifications = parse_notification(text)
    except PlexButlerResponseError:
        return
    assert isinstance(notifications, list)
    if notifications:
        event("parse_notification returned notifications")
    for notification in notifications:
        assert isinstance(notification, ActivityNotification | PreferenceNotification)
    check_model(notifications)


def check_body(body: bytes) -> None:
    """Every parser returns its model or raises PlexButlerResponseError, nothing else."""
    try:
        document = parse_document(body)
    except PlexButlerResponseError:
        pass
    else:
        assert isinstance(document, dict)
        for parser in PARSERS:
            try:
                model = parser(document)
            except PlexButlerResponseError:
                continue
            check_model(model)
            event(f"{parser.__name__} returned a model")
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return
    check_notifications(text)


# --- Strategies ------------------------------------------------------------------------------

KEYS = (
    "machineIdentifier",
    "version",
    "claimed",
    "friendlyName",
    "platform",
    "platformVersion",
    "size",
    "name",
    "interval",
    "scheduleRandomized",
    "enabled",
    "title",
    "description",
    "uuid",
    "type",
    "subtitle",
    "progress",
    "cancellable",
    "id",
    "value",
    "default",
    "label",
    "summary",
    "event",
)
LIST_KEYS = ("ButlerTask", "Activity", "Setting", "ActivityNotification", "Context")
ROOTS = ("MediaContainer", "ButlerTasks", "NotificationContainer")
WORDS = (
    "1",
    "0",
    "true",
    "false",
    "",
    " 1 ",
    "-1",
    "100",
    "3.5",
    "started",
    "updated",
    "ended",
    "activity",
    "preference",
    "playing",
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS + LIST_KEYS) | st.text(max_size=6), children, max_size=4
        )
    ),
    max_leaves=16,
)
EDGE_NUMBERS = (float("inf"), float("-inf"), float("nan"), 1e300, 2**64, -(2**63))
field_values = json_scalars | st.sampled_from(WORDS) | st.sampled_from(EDGE_NUMBERS)
items = st.builds(
    lambda known, unknown: known | unknown,
    st.fixed_dictionaries({}, optional=dict.fromkeys(KEYS, field_values)),
    st.dictionaries(st.text(max_size=6), field_values | json_values, max_size=2),
)
notification_items = st.fixed_dictionaries(
    {},
    optional={"event": field_values, "uuid": field_values, "Activity": items | json_values},
)
item_lists = st.lists(items, max_size=4) | items | json_values
container_fields = st.builds(
    lambda known, unknown: known | unknown,
    st.fixed_dictionaries({}, optional=dict.fromkeys(KEYS, field_values)),
    st.dictionaries(st.sampled_from(LIST_KEYS) | st.text(max_size=6), json_values, max_size=2),
)


def wrapped(root: str, list_key: str, children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`{root: {fields..., list_key: children}}`, the list key sometimes absent."""
    return st.builds(
        lambda fields, listed: {root: fields | listed},
        container_fields,
        st.fixed_dictionaries({}, optional={list_key: children}),
    )


documents = st.one_of(
    wrapped("MediaContainer", "Directory", item_lists),  # identity and server info
    wrapped("ButlerTasks", "ButlerTask", item_lists),
    wrapped("MediaContainer", "Activity", item_lists),
    wrapped("MediaContainer", "Setting", item_lists),
    wrapped(
        "NotificationContainer",
        "ActivityNotification",
        st.lists(notification_items, max_size=3) | notification_items | json_values,
    ),
    wrapped("NotificationContainer", "Setting", item_lists),
    st.dictionaries(st.sampled_from(ROOTS), json_values, max_size=2),
    json_values,
)

TAGS = (*ROOTS, *LIST_KEYS, "Directory")
xml_names = st.sampled_from(TAGS + KEYS) | st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("AZaz_"),
    st.text("AZaz09_.-", max_size=6),
)
xml_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
xml_attributes = st.dictionaries(
    xml_names, xml_text | st.sampled_from(WORDS) | st.text(max_size=4), max_size=5
)


def element(tag: str, attributes: dict[str, str], children: list[ET.Element]) -> ET.Element:
    node = ET.Element(tag, attributes)
    node.extend(children)
    return node


xml_trees = st.recursive(
    st.builds(element, xml_names, xml_attributes, st.just([])),
    lambda children: st.builds(element, xml_names, xml_attributes, st.lists(children, max_size=3)),
    max_leaves=8,
)
xml_documents = st.builds(
    element, st.sampled_from(ROOTS) | xml_names, xml_attributes, st.lists(xml_trees, max_size=3)
)
XML_FRAGMENTS = (
    "<",
    ">",
    "</",
    "/>",
    "<MediaContainer",
    "<ButlerTasks",
    "<ButlerTask",
    "<Activity",
    "<Setting",
    "<NotificationContainer",
    ' name="x"',
    ' uuid="u"',
    ' id="i"',
    ' type="activity"',
    ' event="started"',
    ' machineIdentifier="m"',
    ' enabled="1"',
    ' interval="3"',
    ' progress="x"',
    '="',
    '"',
    "&amp;",
    "&#0;",
    "&#x41;",
    "&undefined;",
    "<?xml version='1.0'?>",
    "<?xml version='1.0' encoding='klingon'?>",
    "<!DOCTYPE a [<!ENTITY e 'x'>]>",
    "&e;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "\x00",
    "\n",
)
xml_ish = st.lists(st.sampled_from(XML_FRAGMENTS) | st.text(max_size=3), max_size=24).map("".join)


printable = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)
task_fields = st.fixed_dictionaries(
    {
        "name": printable.filter(bool),
        "title": printable,
        "description": printable,
        "interval": st.integers(-(2**40), 2**40),
        "scheduleRandomized": st.booleans(),
        "enabled": st.booleans(),
    }
)
activity_fields = st.fixed_dictionaries(
    {
        "uuid": printable,
        "type": printable,
        "title": printable,
        "subtitle": printable,
        "progress": st.integers(-1, 100),
        "cancellable": st.booleans(),
    }
)


identity_fields = st.fixed_dictionaries(
    {
        "size": st.just(0),
        "claimed": st.booleans(),
        "machineIdentifier": printable,
        "version": printable,
    }
)
server_fields = st.fixed_dictionaries(
    {
        "machineIdentifier": printable,
        "friendlyName": printable,
        "version": printable,
        "platform": printable,
        "platformVersion": printable,
    }
)
setting_fields = st.fixed_dictionaries(
    {
        "id": printable,
        "label": printable,
        "summary": printable,
        "type": st.sampled_from(["bool", "int", "text", "double"]),
        "default": printable | st.booleans() | st.integers(),
        "value": printable | st.booleans() | st.integers(),
    }
)


def in_container(root: str, list_key: str | None) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if list_key is None:
        return lambda item: {root: item}
    return lambda item: {root: {"size": 1, list_key: [item]}}


def in_activity_notification(item: dict[str, Any]) -> dict[str, Any]:
    notification = {"event": "updated", "uuid": item.get("uuid"), "Activity": item}
    return {"NotificationContainer": {"type": "activity", "ActivityNotification": [notification]}}


VALID_ITEMS = (
    (identity_fields, in_container("MediaContainer", None)),
    (server_fields, in_container("MediaContainer", None)),
    (task_fields, in_container("ButlerTasks", "ButlerTask")),
    (activity_fields, in_container("MediaContainer", "Activity")),
    (setting_fields, in_container("MediaContainer", "Setting")),
    (setting_fields, in_container("NotificationContainer", "Setting")),
    (activity_fields, in_activity_notification),
)
"""Valid items of every model, and how to wrap one into a document."""


# --- (a) Arbitrary bytes and text ------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes(body: bytes) -> None:
    check_body(body)


@PROPERTY
@given(
    st.sampled_from([b"<", b"{", b"[", b" \n<", b'{"MediaContainer": ']), st.binary(max_size=200)
)
def test_arbitrary_bytes_after_a_plausible_start(start: bytes, rest: bytes) -> None:
    check_body(start + rest)


@PROPERTY
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    check_body(text.encode())


# --- (b) Arbitrary JSON under the right roots ------------------------------------------------


@PROPERTY
@given(documents)
def test_arbitrary_json(document: Any) -> None:
    # NaN and Infinity included, as Python's decoder reads them.
    check_body(json.dumps(document).encode())


@PROPERTY
@given(st.data())
def test_any_value_in_any_field(data: st.DataObject) -> None:
    """A valid item with one field replaced by any JSON value, edge numbers included."""
    fields, wrap = data.draw(st.sampled_from(VALID_ITEMS))
    item = data.draw(fields)
    key = data.draw(st.sampled_from(sorted(item)))
    item[key] = data.draw(st.sampled_from(EDGE_NUMBERS) | json_values)
    check_body(json.dumps(wrap(item)).encode())


# --- (c) Arbitrary XML-ish documents ---------------------------------------------------------


@PROPERTY
@given(xml_documents, st.booleans())
def test_arbitrary_xml(root: ET.Element, declaration: bool) -> None:
    check_body(ET.tostring(root, encoding="utf-8", xml_declaration=declaration))


@PROPERTY
@given(xml_ish)
def test_xml_ish_text(text: str) -> None:
    check_body(text.encode())
    check_body(("<" + text).encode())


# --- Valid documents parse the same from JSON and from XML -----------------------------------


def xml_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def as_xml(root: str, child: str, items: list[dict[str, Any]]) -> bytes:
    document = element(
        root,
        {"size": str(len(items))},
        [
            element(child, {key: xml_value(value) for key, value in item.items()}, [])
            for item in items
        ],
    )
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)


@PROPERTY
@given(st.lists(task_fields, max_size=6))
def test_valid_tasks_from_json_and_xml(tasks: list[dict[str, Any]]) -> None:
    expected = tuple(
        ButlerTask(
            name=task["name"],
            title=task["title"] or task["name"],
            description=task["description"],
            interval=task["interval"],
            schedule_randomized=task["scheduleRandomized"],
            enabled=task["enabled"],
        )
        for task in tasks
    )
    from_json = parse_butler_tasks(
        parse_document(
            json.dumps({"ButlerTasks": {"size": len(tasks), "ButlerTask": tasks}}).encode()
        )
    )
    from_xml = parse_butler_tasks(parse_document(as_xml("ButlerTasks", "ButlerTask", tasks)))
    assert from_json == from_xml == expected


@PROPERTY
@given(st.lists(activity_fields, max_size=6))
def test_valid_activities_from_json_and_xml(activities: list[dict[str, Any]]) -> None:
    expected = tuple(
        Activity(
            uuid=activity["uuid"],
            type=activity["type"],
            title=activity["title"],
            subtitle=activity["subtitle"],
            progress=activity["progress"],
            cancellable=activity["cancellable"],
        )
        for activity in activities
    )
    body = {"MediaContainer": {"size": len(activities), "Activity": activities}}
    from_json = parse_activities(parse_document(json.dumps(body).encode()))
    from_xml = parse_activities(parse_document(as_xml("MediaContainer", "Activity", activities)))
    assert from_json == from_xml == expected


@PROPERTY
@given(st.lists(activity_fields, min_size=1, max_size=4), st.sampled_from(list(ActivityEvent)))
def test_valid_activity_notifications(
    activities: list[dict[str, Any]], event: ActivityEvent
) -> None:
    frame = {
        "NotificationContainer": {
            "type": "activity",
            "size": len(activities),
            "ActivityNotification": [
                {"event": str(event), "uuid": activity["uuid"], "Activity": activity}
                for activity in activities
            ],
        }
    }
    notifications = parse_notification(json.dumps(frame))
    assert [(n.event, n.activity.uuid) for n in notifications] == [
        (event, activity["uuid"]) for activity in activities
    ]


# --- Tables ----------------------------------------------------------------------------------


def tasks_document(**fields: Any) -> dict[str, Any]:
    return {"ButlerTasks": {"ButlerTask": [{"name": "BackupDatabase", **fields}]}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("True", True),
        (" 0 ", False),
        ("", False),
        (1, True),
        (0, False),
    ],
)
def test_booleans_in_both_spellings(raw: object, expected: bool) -> None:
    (task,) = parse_butler_tasks(tasks_document(enabled=raw, scheduleRandomized=raw))
    assert task.enabled is expected
    assert task.schedule_randomized is expected
    (activity,) = parse_activities(
        {"MediaContainer": {"Activity": [{"uuid": "u", "cancellable": raw}]}}
    )
    assert activity.cancellable is expected


@pytest.mark.parametrize("raw", ["yes", "2", 1.0, None, [], {}])
def test_what_is_not_a_boolean(raw: object) -> None:
    with pytest.raises(PlexButlerResponseError, match="boolean"):
        parse_butler_tasks(tasks_document(enabled=raw))


def test_booleans_from_xml() -> None:
    document = parse_document(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<ButlerTasks>'
        b'<ButlerTask name="A" interval="3" scheduleRandomized="0" enabled="1" title="T"/>'
        b'<ButlerTask name="B" interval="7" scheduleRandomized="1" enabled="0" title=""/>'
        b"</ButlerTasks>"
    )
    assert parse_butler_tasks(document) == (
        ButlerTask("A", "T", "", 3, schedule_randomized=False, enabled=True),
        ButlerTask("B", "B", "", 7, schedule_randomized=True, enabled=False),
    )
    identity = parse_document(b'<MediaContainer size="0" claimed="0" machineIdentifier="m"/>')
    assert parse_identity(identity) == ServerIdentity("m", "", claimed=False)


@pytest.mark.parametrize(("raw", "expected"), [(3, 3), ("7", 7), (" 1 ", 1), (-1, -1), (2.0, 2)])
def test_numbers(raw: object, expected: int) -> None:
    (task,) = parse_butler_tasks(tasks_document(interval=raw))
    assert task.interval == expected


@pytest.mark.parametrize(
    "body",
    [
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": true}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": "weekly"}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": null}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": []}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": 1e999}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": -Infinity}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": NaN}]}}',
        b'{"ButlerTasks": {"ButlerTask": [{"name": "A", "interval": "' + b"9" * 5000 + b'"}]}}',
    ],
)
def test_what_is_not_a_number(body: bytes) -> None:
    with pytest.raises(PlexButlerResponseError, match="number"):
        parse_butler_tasks(parse_document(body))


def test_text_fields() -> None:
    (task,) = parse_butler_tasks(tasks_document(title=12, description=None))
    assert (task.title, task.description) == ("12", "")
    (setting,) = parse_settings(
        {"MediaContainer": {"Setting": [{"id": "S", "value": True, "default": 2.5}]}}
    )
    assert (setting.value, setting.default, setting.type, setting.label) == ("1", "2.5", "", "")
    for bad in ({}, [], ["x"]):
        with pytest.raises(PlexButlerResponseError, match="text"):
            parse_butler_tasks(tasks_document(title=bad))


def test_unknown_keys_are_ignored() -> None:
    document = parse_document(
        json.dumps(
            {
                "MediaContainer": {
                    "size": 0,
                    "claimed": True,
                    "machineIdentifier": "m",
                    "version": "1.2",
                    "newField": {"nested": [1, 2]},
                    "Feature": [{"key": "x"}],
                },
                "Extra": [],
            }
        ).encode()
    )
    assert parse_identity(document) == ServerIdentity("m", "1.2", claimed=True)
    (task,) = parse_butler_tasks(tasks_document(lastRun=123, Schedule=[{"at": "2"}]))
    assert task.name == "BackupDatabase"
    xml = parse_document(
        b'<MediaContainer size="1" future="yes"><Activity uuid="u" type="t" progress="5" '
        b'weight="2"><Context librarySectionID="1"/><Context other="2"/></Activity>'
        b"<Unknown/></MediaContainer>"
    )
    assert parse_activities(xml) == (Activity("u", "t", "", "", 5, cancellable=False),)


def test_defaults() -> None:
    assert parse_butler_tasks(tasks_document()) == (
        ButlerTask(
            "BackupDatabase",
            "BackupDatabase",
            "",
            0,
            schedule_randomized=False,
            enabled=True,
        ),
    )
    assert parse_activities({"MediaContainer": {"Activity": [{"uuid": "u"}]}}) == (
        Activity("u", "", "", "", -1, cancellable=False),
    )
    assert parse_identity({"MediaContainer": {"machineIdentifier": "m"}}) == ServerIdentity(
        "m", "", claimed=False
    )
    assert parse_server_info({"MediaContainer": {"machineIdentifier": "m"}}) == ServerInfo(
        "m", "m", "", "", ""
    )
    assert parse_settings({"MediaContainer": {"Setting": {"id": "S"}}}) == (
        Setting("S", "", "", "", "", ""),
    )


def test_a_lone_object_instead_of_a_list() -> None:
    (task,) = parse_butler_tasks({"ButlerTasks": {"ButlerTask": {"name": "OptimizeDatabase"}}})
    assert task.name == "OptimizeDatabase"
    (activity,) = parse_activities({"MediaContainer": {"size": 1, "Activity": {"uuid": "u"}}})
    assert activity.uuid == "u"
    (notification,) = parse_notification(
        '{"NotificationContainer": {"type": "preference", "Setting": {"id": "S", "value": 3}}}'
    )
    assert notification == PreferenceNotification("S", "3")


@pytest.mark.parametrize(
    ("parser", "document"),
    [
        (parse_activities, {"MediaContainer": {"size": 0}}),
        (parse_activities, {"MediaContainer": {"size": 0, "Activity": []}}),
        (parse_settings, {"MediaContainer": {"size": 0}}),
        (parse_butler_tasks, {"ButlerTasks": {}}),
        (parse_activities, parse_document(b'<MediaContainer size="0"/>')),
        (parse_butler_tasks, parse_document(b"<ButlerTasks></ButlerTasks>")),
    ],
)
def test_size_zero_without_a_list(
    parser: Callable[[dict[str, Any]], tuple[object, ...]], document: dict[str, Any]
) -> None:
    assert parser(document) == ()


@pytest.mark.parametrize(
    ("parser", "document"),
    [
        (parse_identity, {"MediaContainer": {"size": 0, "version": "1"}}),
        (parse_server_info, {"MediaContainer": {"friendlyName": "Plex"}}),
        (parse_butler_tasks, {"ButlerTasks": {"ButlerTask": [{"title": "Backup"}]}}),
        (parse_butler_tasks, {"ButlerTasks": {"ButlerTask": [{"name": ""}]}}),
        (parse_butler_tasks, {"ButlerTasks": {"ButlerTask": [{"name": None}]}}),
        (parse_activities, {"MediaContainer": {"Activity": [{"type": "butler"}]}}),
        (parse_settings, {"MediaContainer": {"Setting": [{"value": "1"}]}}),
    ],
)
def test_missing_required_key(
    parser: Callable[[dict[str, Any]], object], document: dict[str, Any]
) -> None:
    with pytest.raises(PlexButlerResponseError, match=r"misses|without a name"):
        parser(document)


@pytest.mark.parametrize(
    ("parser", "document"),
    [
        # The trap: /butler is rooted at ButlerTasks, not MediaContainer.
        (parse_butler_tasks, {"MediaContainer": {"ButlerTask": [{"name": "A"}]}}),
        (parse_identity, {"ButlerTasks": {"machineIdentifier": "m"}}),
        (parse_identity, {"MediaContainer": [{"machineIdentifier": "m"}]}),
        (parse_activities, {"MediaContainer": None}),
        (parse_activities, {}),
    ],
)
def test_wrong_root(parser: Callable[[dict[str, Any]], object], document: dict[str, Any]) -> None:
    with pytest.raises(PlexButlerResponseError, match="has no"):
        parser(document)


@pytest.mark.parametrize(
    "document",
    [
        {"MediaContainer": {"Activity": "busy"}},
        {"MediaContainer": {"Activity": [{"uuid": "u"}, "busy"]}},
        {"MediaContainer": {"Activity": [[{"uuid": "u"}]]}},
        # In XML an attribute may share its name with a child element's tag.
        parse_document(b'<MediaContainer Activity="2"><Activity uuid="u"/></MediaContainer>'),
    ],
)
def test_malformed_list(document: dict[str, Any]) -> None:
    with pytest.raises(PlexButlerResponseError, match="malformed"):
        parse_activities(document)


def test_xml_document_shape() -> None:
    assert parse_document(
        b'  <?xml version="1.0"?>\n<Root a="1"><Child b="2"/><Child b="3"><Leaf/></Child></Root>'
    ) == {"Root": {"a": "1", "Child": [{"b": "2"}, {"b": "3", "Leaf": [{}]}]}}


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"", "neither JSON nor XML"),
        (b"<html><body>Unauthorized", "neither JSON nor XML"),
        (b"\x00\xfePlex Media Server <starting up {", "neither JSON nor XML"),
        (b'{"MediaContainer": {"size": 0', "neither JSON nor XML"),
        (b"[" * 100_000, "neither JSON nor XML"),
        (b"<a>" * 5000 + b"</a>" * 5000, "neither JSON nor XML"),
        (b'<?xml version="1.0" encoding="klingon"?><MediaContainer/>', "neither JSON nor XML"),
        (b'<!DOCTYPE a [<!ENTITY e SYSTEM "e.dtd">]><a>&e;</a>', "neither JSON nor XML"),
        (b"[]", "not an object"),
        (b'"MediaContainer"', "not an object"),
        (b"42", "not an object"),
        (b"null", "not an object"),
    ],
)
def test_not_a_document(body: bytes, match: str) -> None:
    with pytest.raises(PlexButlerResponseError, match=match):
        parse_document(body)


def test_nesting_the_parsers_can_follow() -> None:
    nested = (
        b'{"MediaContainer": {"machineIdentifier": "m", "x": ' + b"[" * 200 + b"]" * 200 + b"}}"
    )
    assert parse_identity(parse_document(nested)).machine_identifier == "m"


# --- Notifications ---------------------------------------------------------------------------


def activity_frame(*notifications: dict[str, Any]) -> str:
    return json.dumps(
        {
            "NotificationContainer": {
                "type": "activity",
                "size": len(notifications),
                "ActivityNotification": list(notifications),
            }
        }
    )


def test_activity_notifications() -> None:
    activity = {
        "uuid": "6f7c",
        "type": "provider.subscriptions.process",
        "cancellable": True,
        "userID": 1,
        "title": "Processing subscriptions",
        "subtitle": "",
        "progress": 0,
    }
    frame = activity_frame(
        {"event": "started", "uuid": "6f7c", "Activity": activity},
        {"event": "updated", "uuid": "6f7c", "Activity": activity | {"progress": 50}},
        {"event": "ended", "uuid": "6f7c", "Activity": activity | {"progress": 100}},
    )
    parsed = Activity(
        "6f7c",
        "provider.subscriptions.process",
        "Processing subscriptions",
        "",
        0,
        cancellable=True,
    )
    assert parse_notification(frame) == [
        ActivityNotification(ActivityEvent.STARTED, parsed),
        ActivityNotification(ActivityEvent.UPDATED, dataclasses.replace(parsed, progress=50)),
        ActivityNotification(ActivityEvent.ENDED, dataclasses.replace(parsed, progress=100)),
    ]


def test_preference_notifications() -> None:
    frame = json.dumps(
        {
            "NotificationContainer": {
                "type": "preference",
                "size": 2,
                "Setting": [
                    {"id": "ButlerStartHour", "value": 4, "label": "ignored"},
                    {"id": "ButlerTaskBackupDatabase", "value": False},
                ],
            }
        }
    )
    assert parse_notification(frame) == [
        PreferenceNotification("ButlerStartHour", "4"),
        PreferenceNotification("ButlerTaskBackupDatabase", "0"),
    ]


@pytest.mark.parametrize(
    "container",
    [
        {"type": "playing", "size": 1, "PlaySessionStateNotification": [{"state": "playing"}]},
        {"type": "timeline", "TimelineEntry": "anything"},
        {"type": "status"},
        {"size": 0},
        {"type": "activity", "size": 0},
        {"type": "preference", "size": 0},
    ],
)
def test_notifications_that_yield_nothing(container: dict[str, Any]) -> None:
    assert parse_notification(json.dumps({"NotificationContainer": container})) == []


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (activity_frame({"event": "paused", "Activity": {"uuid": "u"}}), "Unknown activity event"),
        (activity_frame({"Activity": {"uuid": "u"}}), "Unknown activity event"),
        (activity_frame({"event": ["started"], "Activity": {"uuid": "u"}}), "text"),
        (activity_frame({"event": "started"}), "no Activity"),
        (activity_frame({"event": "started", "Activity": [{"uuid": "u"}]}), "no Activity"),
        (activity_frame({"event": "started", "Activity": {"title": "no uuid"}}), "misses uuid"),
        (
            '{"NotificationContainer": {"type": "preference", "Setting": [{"value": 1}]}}',
            "misses id",
        ),
        ('{"NotificationContainer": {"type": "activity", "ActivityNotification": 3}}', "malformed"),
        ('{"MediaContainer": {"type": "activity"}}', "has no NotificationContainer"),
        ("not json at all", "neither JSON nor XML"),
        ("", "neither JSON nor XML"),
        (
            '<NotificationContainer type="activity"><ActivityNotification event="started">'
            '<Activity uuid="u"/></ActivityNotification></NotificationContainer>',
            "no Activity",
        ),
    ],
)
def test_bad_notifications(frame: str, match: str) -> None:
    with pytest.raises(PlexButlerResponseError, match=match):
        parse_notification(frame)


def test_lone_surrogate_in_a_frame() -> None:
    """Text that cannot be encoded does not crash the parser: an unknown type yields nothing."""
    assert parse_notification('{"NotificationContainer": {"type": "\ud800"}}') == []
    with pytest.raises(PlexButlerResponseError):
        parse_notification('{"NotificationContainer": \ud800}')
