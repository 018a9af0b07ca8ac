"""The quiz form: the questions drawn for one attempt, in the learner's language of study, each
kind as a plain HTML control (radio buttons, check boxes, a text box, one select per matched
term), so a quiz is answered without JavaScript. quizzes.submit marks what it returns."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import pick_label
from clearinghouse.learning.models import QuizAttempt

# The answer to a short-answer question is a word or a phrase, not an essay.
SHORT_ANSWER_LENGTH = 300


def shown(texts: Mapping[str, Any] | None, language: str) -> str:
    """The text in the language of study (the course's languages are complete in it), else the
    reader's, else any."""
    texts = texts or {}
    value = texts.get(language)
    return str(value) if value else pick_label({k: str(v) for k, v in texts.items() if v})


@dataclass(frozen=True)
class Question:
    """One drawn question as the page shows it: its number, text and fields."""

    number: int
    key: str
    kind: str
    text: str
    fields: list[forms.BoundField]


class QuizForm(forms.Form):
    def __init__(
        self, *args: Any, quiz: Mapping[str, Any], attempt: QuizAttempt, language: str, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.language = language
        bank = {str(q["key"]): q for q in quiz.get("questions") or []}
        self.drawn = [bank[key] for key in attempt.questions if key in bank]
        self._names: dict[str, list[str]] = {}
        for number, question in enumerate(self.drawn, start=1):
            key = str(question["key"])
            self._names[key] = self._add(question, number, f"{attempt.pk}:{key}")

    def _add(self, question: Mapping[str, Any], number: int, seed: str) -> list[str]:
        key = str(question["key"])
        kind = question.get("kind")
        label = _("Question %(number)d") % {"number": number}
        name = f"answer_{key}"
        if kind in ("single", "multiple"):
            choices = [
                (str(c["key"]), shown(c.get("text"), self.language)) for c in question.get("choices") or []
            ]
            if kind == "single":
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect, required=False
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            return [name]
        if kind == "true_false":
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("true", _("True")), ("false", _("False"))],
                widget=forms.RadioSelect,
                required=False,
            )
            return [name]
        if kind == "short":
            self.fields[name] = forms.CharField(label=label, max_length=SHORT_ANSWER_LENGTH, required=False)
            return [name]
        # Matching: one select per term on the left, offering every term on the right in an
        # order of its own, so the answer is not the order of the list.
        pairs = list(question.get("pairs") or [])
        rights = [(str(p["key"]), shown(p.get("right"), self.language)) for p in pairs]
        random.Random(seed).shuffle(rights)  # noqa: S311  # nosec B311 - an order of options, not a secret
        names = []
        for pair in pairs:
            pair_name = f"{name}__{pair['key']}"
            self.fields[pair_name] = forms.ChoiceField(
                label=shown(pair.get("left"), self.language), choices=[("", "—"), *rights], required=False
            )
            names.append(pair_name)
        return names

    def questions(self) -> list[Question]:
        return [
            Question(
                number,
                str(question["key"]),
                str(question.get("kind")),
                shown(question.get("text"), self.language),
                [self[name] for name in self._names[str(question["key"])]],
            )
            for number, question in enumerate(self.drawn, start=1)
        ]

    def answers(self) -> dict[str, Any]:
        """The answers as quizzes.submit takes them; a question left blank is left out."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.drawn:
            key = str(question["key"])
            kind = question.get("kind")
            name = f"answer_{key}"
            if kind == "matching":
                matched = {
                    str(pair["key"]): data.get(f"{name}__{pair['key']}")
                    for pair in question.get("pairs") or []
                    if data.get(f"{name}__{pair['key']}")
                }
                if matched:
                    answers[key] = matched
            elif kind == "multiple":
                if data.get(name):
                    answers[key] = list(data[name])
            elif kind == "true_false":
                if data.get(name) in ("true", "false"):
                    answers[key] = data[name] == "true"
            elif kind == "short":
                if str(data.get(name) or "").strip():
                    answers[key] = str(data[name]).strip()
            elif data.get(name):
                answers[key] = str(data[name])
        return answers
