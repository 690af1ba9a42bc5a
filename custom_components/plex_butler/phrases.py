"""Voice words: how a task may be called, and the answers in each language shipped.

Plex reports its task titles in English ("Backup Database", "Optimize Database"), so the short
forms are English, derived from the title by one rule: a title is a verb and its object, and the
verbs Plex uses have a gerund and, for some, a noun. "Optimize Database" can be called "optimizing
the Plex database", "the Plex database optimization", "the Plex optimization", and (in questions)
"optimize its database". A short form that fits several titles is ambiguous: it is kept, and
resolving it gives every title it fits, so that the answer is a question.

The sentences and answers of each language are data (`sentences/<language>.yaml`). Plain Python
without Home Assistant, like the state machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
import re
from typing import Any

# Letters and digits, joined inside a word by an apostrophe or a hyphen. Everything else separates
# words, so neither hassil's syntax ( ) [ ] { } < > | ; \ nor punctuation reaches a template.
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")

# Words a speaker puts around a task's name that do not tell tasks apart.
FILLERS = frozenset({"the", "plex", "its", "plex's"})

# The verbs Plex's task titles start with: (base form, gerund, noun or None).
VERBS: Mapping[str, tuple[str, str, str | None]] = {
    "analyze": ("analyze", "analyzing", "analysis"),
    "backup": ("back up", "backing up", "backup"),
    "clean": ("clean", "cleaning", "cleanup"),
    "detect": ("detect", "detecting", "detection"),
    "generate": ("generate", "generating", None),
    "install": ("install", "installing", "installation"),
    "optimize": ("optimize", "optimizing", "optimization"),
    "perform": ("perform", "performing", None),
    "process": ("process", "processing", None),
    "refresh": ("refresh", "refreshing", "refresh"),
    "upgrade": ("upgrade", "upgrading", "upgrade"),
}

LANGUAGES = ("en", "de", "fr", "es", "nl", "it")


def spoken(text: str) -> str:
    """Reduce a task title, server or area name to the words a sentence template can hold."""
    return " ".join(_WORD.findall(text.casefold()))


def key(text: str) -> str:
    """Reduce a phrase to the words that tell tasks apart."""
    return " ".join(word for word in spoken(text).split() if word not in FILLERS)


@dataclass(frozen=True, slots=True)
class TaskForms:
    """How one task title may be said: as a noun phrase, and as a verb phrase (English)."""

    nouns: tuple[str, ...]  # templates: "backup database", "backing up [the] [plex] database"
    actions: tuple[str, ...]  # templates: "back up (its|the) database"


def task_forms(title: str) -> TaskForms:
    """List the ways to say a title; its own words come first."""
    words = spoken(title).split()
    nouns = [" ".join(words)]
    actions = []
    if len(words) > 1 and (verb := VERBS.get(words[0])) is not None:
        base, gerund, noun = verb
        rest = " ".join(words[1:])
        nouns.append(f"{gerund} [the] [plex] {rest}")
        actions.append(f"{base} [its|the] {rest}")
        if noun is not None:
            nouns += [f"{rest} {noun}", noun]
    return TaskForms(tuple(nouns), tuple(actions))


def phrase_table(titles: Iterable[str]) -> dict[str, frozenset[str]]:
    """Map each phrase (its key) to the spoken titles it may mean; a title's own words win."""
    table: dict[str, set[str]] = {}
    exact: dict[str, str] = {}
    for title in {spoken(title) for title in titles} - {""}:
        exact[key(title)] = title
        forms = task_forms(title)
        for template in (*forms.nouns, *forms.actions):
            table.setdefault(plain_key(template), set()).add(title)
    table.update({phrase: {title} for phrase, title in exact.items()})
    return {phrase: frozenset(titles) for phrase, titles in table.items() if phrase}


def plain_key(template: str) -> str:
    """Reduce a form's template to its key: what it says without its optional words."""
    return key(re.sub(r"\[[^]]*\]", " ", template))


@dataclass(frozen=True, slots=True)
class Language:
    """One language's sentence templates (per intent) and answer templates."""

    code: str
    sentences: Mapping[str, tuple[str, ...]]
    server_suffix: str
    answers: Mapping[str, str]
    units: Mapping[str, Mapping[str, str]]

    @classmethod
    def from_dict(cls, code: str, data: Mapping[str, Any]) -> Language:
        """Read one language's file."""
        return cls(
            code,
            {intent: tuple(templates) for intent, templates in data["sentences"].items()},
            data["server_suffix"],
            dict(data["answers"]),
            {unit: dict(forms) for unit, forms in data["units"].items()},
        )

    def answer(self, answer_key: str, **values: Any) -> str:
        """Fill in an answer's placeholders."""
        return self.answers[answer_key].format(**values)

    def join(self, items: Iterable[str], conjunction: str = "and") -> str:
        """Items as a speaker lists them: "A, B and C"."""
        listed = list(items)
        if len(listed) < 2:
            return "".join(listed)
        return f"{', '.join(listed[:-1])} {self.answers[conjunction]} {listed[-1]}"

    def relative(self, delta: timedelta) -> str:
        """Say a moment relative to now: "3 hours ago" (delta < 0), "in 2 days" (delta > 0)."""
        seconds = abs(delta.total_seconds())
        if seconds < 60:
            return self.answers["moment_ago" if delta < timedelta(0) else "moment_ahead"]
        minutes = round(seconds / 60)
        hours = round(seconds / 3600)
        if minutes < 60:
            unit, count = "minute", minutes
        elif hours < 24:
            unit, count = "hour", hours
        else:
            unit, count = "day", round(seconds / 86400)
        amount = self.units[unit]["one" if count == 1 else "other"].format(count=count)
        return self.answer("ago" if delta < timedelta(0) else "ahead", amount=amount)
