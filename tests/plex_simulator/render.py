"""One document model, rendered as Plex renders it: JSON, or XML with "1"/"0" booleans."""

from dataclasses import dataclass, field
from typing import Any
import xml.etree.ElementTree as ET

type Scalar = str | int | bool


@dataclass
class Node:
    """An element: attributes and named children.

    A child list renders as a JSON array (omitted when empty, as the server omits `Activity` when
    idle), a single child node as a JSON object; in XML both are child elements.
    """

    attributes: dict[str, Scalar]
    children: dict[str, "Node | list[Node]"] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of this node."""
        document: dict[str, Any] = dict(self.attributes)
        for tag, child in self.children.items():
            if isinstance(child, Node):
                document[tag] = child.to_json()
            elif child:
                document[tag] = [item.to_json() for item in child]
        return document

    def to_xml(self, tag: str) -> ET.Element:
        """Return the XML element of this node."""
        element = ET.Element(tag, {key: xml_value(value) for key, value in self.attributes.items()})
        for child_tag, child in self.children.items():
            for item in [child] if isinstance(child, Node) else child:
                element.append(item.to_xml(child_tag))
        return element


def xml_value(value: Scalar) -> str:
    """Return an attribute value as the server writes it in XML."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def render_xml(root: str, node: Node) -> str:
    """Return the XML document of `node` under the root element `root`."""
    body = ET.tostring(node.to_xml(root), encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
