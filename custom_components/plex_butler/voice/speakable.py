"""What Assist can hear: the sentences made of the loaded servers' tasks, in every language.

Task titles and their short forms are spelled out in the sentences, never a wildcard: "start
{anything}" would take "start the vacuum" from the vacuum. A sentence's placeholders are a task
as a noun ({task}), as a verb phrase after "when did Plex last" ({action}), after "is Plex"
({doing}), or as a command ("clean the Plex bundles", {command}): English makes them from the
titles (`phrases.py`), the other languages say {task} with their own names of the known tasks and
the server's titles. Only the server's name comes after a fixed sentence ("... on {server}"),
where a wildcard takes nothing from anyone; the answer to "which server?" spells the names out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .phrases import Language, key, phrase_table, spoken, task_forms

# A server's answer is a group of its own, next to those of `sentences/<language>.yaml`.
SERVER_REPLY = "server_reply"


def _either(templates: Iterable[str]) -> str:
    return f"({'|'.join(templates)})"


@dataclass(frozen=True, slots=True)
class Speakable:
    """What the loaded servers' tasks (and, with several servers, their names) let Assist hear."""

    titles: tuple[str, ...]  # spoken titles, for every language
    english: Mapping[str, tuple[str, ...]]  # English forms by placeholder: "task", "action", ...
    phrases: tuple[str, ...]  # every phrase's key, longest first
    servers: tuple[str, ...] = ()  # spoken names and areas, when there are several servers

    @classmethod
    def of(
        cls,
        task_titles: Iterable[str],
        names: Mapping[str, Iterable[str]] | None = None,
        servers: Iterable[str] = (),
    ) -> Speakable:
        """Collect the phrases of the tasks; `names` are the languages' names, by spoken title."""
        titles = sorted({spoken(title) for title in task_titles} - {""})
        forms = [task_forms(title) for title in titles]
        english = {
            "task": tuple(sorted({noun for form in forms for noun in form.nouns})),
            "action": tuple(sorted({action for form in forms for action in form.actions})),
            "doing": tuple(sorted({doing for form in forms for doing in form.doings})),
            "command": tuple(sorted({command for form in forms for command in form.commands})),
        }
        table = phrase_table(titles, {title: (names or {}).get(title, ()) for title in titles})
        return cls(
            tuple(titles),
            english,
            tuple(sorted(table, key=lambda phrase: -len(phrase.split()))),
            tuple(sorted({spoken(server) for server in servers} - {""})),
        )

    def _forms(self, language: Language) -> dict[str, tuple[str, ...]]:
        if language.code == "en":
            return dict(self.english)
        names = {
            spoken(name) for title in self.titles for name in language.task_names.get(title, ())
        }
        return {"task": tuple(sorted(set(self.titles) | names - {""}))}

    def sentences(self, sentence_key: str, languages: Iterable[Language]) -> list[str]:
        """Hassil templates of one group, in every language, the server optional at the end."""
        sentences: list[str] = []
        for language in languages:
            if sentence_key == SERVER_REPLY:
                if self.servers:
                    names = _either(self.servers)
                    sentences.append(language.server_reply.replace("{server}", names))
                continue
            forms = self._forms(language)
            for template in language.sentences[sentence_key]:
                sentence = template
                for name in ("task", "action", "doing", "command"):
                    if (placeholder := f"{{{name}}}") in sentence:
                        if not forms.get(name):
                            break  # nothing to say it with
                        sentence = sentence.replace(placeholder, _either(forms[name]))
                else:
                    sentences.append(f"{sentence} [{language.server_suffix}]")
        return sentences

    def heard(self, sentence: str, server: str | None) -> str | None:
        """Find the task phrase in a sentence heard (the longest), leaving the server out."""
        if server:
            sentence = sentence.rpartition(server)[0] or sentence
        words = key(sentence).split()
        for phrase in self.phrases:
            size = len(phrase_words := phrase.split())
            if any(words[i : i + size] == phrase_words for i in range(len(words) - size + 1)):
                return phrase
        return None

    def heard_server(self, sentence: str) -> str | None:
        """Find the server's name or area that ends an answer to "which server?"."""
        words = spoken(sentence).split()
        return next(
            (
                server
                for server in sorted(self.servers, key=lambda s: -len(s.split()))
                if words[-len(server.split()) :] == server.split()
            ),
            None,
        )
