"""The README is one page, and it and the pages of docs/ link only to what exists."""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from .documents import DOCUMENTS, PAGES, README

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _links(document: Path) -> list[str]:
    """The relative links and images of a document, outside its code blocks."""
    prose = FENCE.sub("", document.read_text(encoding="utf-8"))
    return [link for link in LINK.findall(prose) if not re.match(r"[a-z]+:", link)]


def _anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a document's headings."""
    prose = FENCE.sub("", document.read_text(encoding="utf-8"))
    headings = re.findall(r"^#+ (.+)$", prose, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_the_readme_is_one_page() -> None:
    """A newcomer reads one page; the reference is in docs/."""
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_every_link_points_to_a_file_and_heading_that_exist(document: Path) -> None:
    """GitHub and HACS render these pages: a relative link must lead somewhere."""
    for link in _links(document):
        path, _, anchor = link.partition("#")
        target = (document.parent / path).resolve() if path else document
        assert target.is_file(), f"{document.name}: {link}"
        if anchor:
            assert anchor in _anchors(target), f"{document.name}: {link}"


def test_the_readme_links_every_page_of_the_docs() -> None:
    """No page of the reference is out of a reader's reach."""
    linked = {(README.parent / link.partition("#")[0]).resolve() for link in _links(README)}
    assert PAGES
    assert [page.name for page in PAGES if page.resolve() not in linked] == []
