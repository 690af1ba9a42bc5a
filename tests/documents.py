"""The README and the pages of docs/: the tests find the examples users copy wherever they live."""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

from homeassistant.util.yaml import parse_yaml

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
PAGES = tuple(sorted((ROOT / "docs").glob("*.md")))
DOCUMENTS = (README, *PAGES)


def text() -> str:
    """Every document, one after the other."""
    return "\n".join(document.read_text(encoding="utf-8") for document in DOCUMENTS)


def yaml_examples(top_key: str) -> list[Any]:
    """What the YAML examples that begin with `top_key:` hold under it, in every document."""
    blocks = re.findall(rf"```yaml\n({top_key}:\n.*?)```", text(), re.DOTALL)
    return [parse_yaml(block)[top_key] for block in blocks]
