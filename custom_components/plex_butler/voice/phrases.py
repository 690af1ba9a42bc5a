"""Voice words: how a task may be called, and the answers in each language shipped.

Plex reports its task titles in English ("Backup Database", "Optimize Database"), so the short
forms are English, derived from the title by one rule: a title is a verb and its object, and the
verbs Plex uses have a gerund and, for some, a noun. "Optimize Database" can be called "optimizing
the Plex database", "the Plex database optimization", "the Plex optimization" and, as a verb,
"optimize its database". The object may lose its leading words ("clean the Plex bundles" for Clean
Old Bundles), and "Perform ... Analysis" is the verb of its noun ("analyze the Plex media"). The
other languages name the known tasks in a table of their own (`tasks:` in their file); a task
missing there keeps the server's title. A phrase that fits several titles is ambiguous: it is
kept, and resolving it gives every title it fits, so that the answer is a question.

The sentences and answers of each language are data (`sentences/<language>.yaml`). Plain Python
without Home Assistant, like the state machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations
import re
from typing import Any

# Letters and digits, joined inside a word by an apostrophe or a hyphen. Everything else separates
# words, so neither hassil's syntax ( ) [ ] { } < > | ; \ nor punctuation reaches a template.
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")

# An elided article or preposition before a word: "d'optimiser", "l'analyse", not "plex's".
_ELISION = re.compile(r"\b([^\W_]+)'(?=[^\W_]{3})")

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
    """Reduce a phrase to the words that tell tasks apart; an elision is a word: "d optimiser"."""
    words = _ELISION.sub(r"\1 ", spoken(text)).split()
    return " ".join(word for word in words if word not in FILLERS)


# "Perform <object> <noun>" is the verb of its noun: "Perform Music Analysis", "analyze music".
LIGHT_VERB = "perform"
NOUN_VERBS = {"analysis": "analyze"}


@dataclass(frozen=True, slots=True)
class TaskForms:
    """How one task title may be said in English: as a noun phrase, or around its verb."""

    nouns: tuple[str, ...]  # templates: "backup database", "backing up [the] [plex] database"
    actions: tuple[str, ...]  # "back up [its|the] [plex] database" (after "when did Plex last")
    doings: tuple[str, ...]  # "backing up [its|the] [plex] database" (after "is Plex")
    commands: tuple[str, ...]  # "back up [the] database", "clean [the] plex bundles"


def _objects(words: list[str]) -> list[str]:
    """List the object, then the shorter ones ending in its last word: "old bundles", "bundles".

    A trailing adverb is no object ("Refresh Metadata Periodically").
    """
    while len(words) > 1 and words[-1].endswith("ly"):
        words = words[:-1]
    *before, head = words
    return [
        " ".join((*kept, head))
        for size in range(len(before), -1, -1)
        for kept in combinations(before, size)
    ]


def task_forms(title: str) -> TaskForms:
    """List the ways to say a title; its own words come first."""
    words = spoken(title).split()
    nouns = [" ".join(words)]
    if len(words) < 2 or (verb := VERBS.get(words[0])) is None:
        return TaskForms(tuple(nouns), (), (), ())
    base, gerund, noun = verb
    rest = " ".join(words[1:])
    nouns.append(f"{gerund} [the] [plex] {rest}")
    if noun is not None:
        nouns += [f"{rest} {noun}", noun]
    objects = _objects(words[1:])
    if base == LIGHT_VERB and len(words) > 2 and words[-1] in NOUN_VERBS:
        base, gerund, _ = VERBS[NOUN_VERBS[words[-1]]]
        objects = _objects(words[1:-1])
    # "the Plex thumbnails": a shortened object names a task only with "plex" before it, and a
    # command ("clean the Plex bundles") only the whole object does without it.
    nouns += [f"plex {obj}" for obj in objects[1:]]
    actions = [f"{base} [its|the] [plex] {obj}" for obj in objects]
    doings = [f"{gerund} [its|the] [plex] {obj}" for obj in objects]
    commands = [f"{base} [the] {objects[0]}", *(f"{base} [the] plex {obj}" for obj in objects)]
    return TaskForms(tuple(nouns), tuple(actions), tuple(doings), tuple(commands))


def phrase_table(
    titles: Iterable[str], names: Mapping[str, Iterable[str]] | None = None
) -> dict[str, frozenset[str]]:
    """Map each phrase (its key) to the spoken titles it may mean; a title's own words win.

    `names` are the languages' own names of the tasks, by spoken title.
    """
    table: dict[str, set[str]] = {}
    exact: dict[str, str] = {}
    for title in {spoken(title) for title in titles} - {""}:
        exact[key(title)] = title
        forms = task_forms(title)
        for template in (*forms.nouns, *forms.actions, *forms.doings):
            table.setdefault(plain_key(template), set()).add(title)
        for name in (names or {}).get(title, ()):
            table.setdefault(key(name), set()).add(title)
    table.update({phrase: {title} for phrase, title in exact.items()})
    return {phrase: frozenset(titles) for phrase, titles in table.items() if phrase}


def plain_key(template: str) -> str:
    """Reduce a form's template to its key: what it says without its optional words."""
    return key(re.sub(r"\[[^]]*\]", " ", template))


def _with_bare(names: Iterable[str], articles: Iterable[str]) -> tuple[str, ...]:
    """Names as listed, each followed by itself without its article: "la sauvegarde", "sauvegarde".

    The sentences put their own articles before a name ("la dernière sauvegarde").
    """
    listed: list[str] = []
    for name in names:
        listed.append(name)
        for article in articles:
            prefix = article if article.endswith("'") else f"{article} "
            if name.startswith(prefix) and (bare := name.removeprefix(prefix)) not in listed:
                listed.append(bare)
    return tuple(listed)


@dataclass(frozen=True, slots=True)
class Language:
    """One language's sentence templates (per intent), task names and answer templates."""

    code: str
    sentences: Mapping[str, tuple[str, ...]]
    server_suffix: str
    server_reply: str  # the answer to "which server?", {server} spelled out
    task_names: Mapping[str, tuple[str, ...]]  # by spoken title; the first is said in answers
    answers: Mapping[str, str]
    units: Mapping[str, Mapping[str, str]]  # in "3 hours ago"
    duration_units: Mapping[str, Mapping[str, str]]  # in "took 3 hours"
    weekdays: tuple[str, ...]  # Monday first, as `date.weekday()` counts

    @classmethod
    def from_dict(cls, code: str, data: Mapping[str, Any]) -> Language:
        """Read one language's file."""
        return cls(
            code,
            {intent: tuple(templates) for intent, templates in data["sentences"].items()},
            data["server_suffix"],
            data["server_reply"],
            {
                spoken(title): _with_bare(names, data.get("articles") or ())
                for title, names in (data.get("tasks") or {}).items()
            },
            dict(data["answers"]),
            {unit: dict(forms) for unit, forms in data["units"].items()},
            {unit: dict(forms) for unit, forms in data["duration_units"].items()},
            tuple(data["weekdays"]),
        )

    def task(self, title: str) -> str:
        """Name a task as this language does; one it does not know keeps the server's title."""
        return next(iter(self.task_names.get(spoken(title), ())), title)

    def answer(self, answer_key: str, **values: Any) -> str:
        """Fill in an answer's placeholders; a task's name may begin it in lower case."""
        text = self.answers[answer_key].format(**values)
        return text[:1].upper() + text[1:]

    def join(self, items: Iterable[str], conjunction: str = "and") -> str:
        """Items as a speaker lists them: "A, B and C"."""
        listed = list(items)
        if len(listed) < 2:
            return "".join(listed)
        return f"{', '.join(listed[:-1])} {self.answers[conjunction]} {listed[-1]}"

    def amount(self, delta: timedelta, units: Mapping[str, Mapping[str, str]]) -> str:
        """Say a length of time, rounded to minutes, hours or days: "3 hours"."""
        seconds = abs(delta.total_seconds())
        minutes = round(seconds / 60)
        hours = round(seconds / 3600)
        if minutes < 60:
            unit, count = "minute", minutes
        elif hours < 24:
            unit, count = "hour", hours
        else:
            unit, count = "day", round(seconds / 86400)
        return units[unit]["one" if count == 1 else "other"].format(count=count)

    def relative(self, delta: timedelta) -> str:
        """Say a moment relative to now: "3 hours ago" (delta < 0), "in 2 days" (delta > 0)."""
        if abs(delta.total_seconds()) < 60:
            return self.answers["moment_ago" if delta < timedelta(0) else "moment_ahead"]
        amount = self.amount(delta, self.units)
        return self.answers["ago" if delta < timedelta(0) else "ahead"].format(amount=amount)

    def duration(self, delta: timedelta) -> str:
        """Say how long something took: "3 minutes", or under a minute."""
        if delta.total_seconds() < 60:
            return self.answers["under_a_minute"]
        return self.amount(delta, self.duration_units)
