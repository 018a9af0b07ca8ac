"""The outline's forms, one per part and one per kind of question: plain HTML forms, no
JavaScript. Texts are typed in one language (the page's language switcher); settings and right
answers are the same in every language. Choices and pairs are rows of slots: the existing ones,
and empty ones to add more (save, and more empty rows appear)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from clearinghouse.support.forms import DATETIME_LOCAL

EXTRA_SLOTS = 2
MIN_SLOTS = 4
MAX_FILES = 10
RICH_HELP = _("You may use simple formatting: <p>, <strong>, <em>, lists and links.")


def _https(value: str) -> None:
    URLValidator(schemes=["https"], message=_("Give an https:// address."))(value)


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title of the module"), max_length=300)


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title of the lesson"), max_length=300)
    body = forms.CharField(
        label=_("Text of the lesson"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=RICH_HELP,
    )
    video_url = forms.CharField(
        label=_("Video (link)"),
        required=False,
        max_length=500,
        validators=[_https],
        help_text=_("The https:// address of a video the lesson embeds or links to."),
    )
    transcript = forms.CharField(
        label=_("Transcript of the video"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    downloads = forms.CharField(
        label=_("Files to download"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One file a line: its name, a space and its https:// address."),
    )

    def clean_downloads(self) -> list[dict[str, str]]:
        rows = []
        for line in str(self.cleaned_data.get("downloads") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, url = line.strip().rpartition(" ")
            url = url.strip()
            try:
                _https(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s”: give the file's name, then its https:// address.") % {"line": line.strip()}
                ) from None
            rows.append({"name": name.strip() or url, "url": url})
        if len(rows) > MAX_FILES:
            raise forms.ValidationError(_("A lesson lists at most %(count)d files.") % {"count": MAX_FILES})
        return rows

    @staticmethod
    def initial_for(lesson: Mapping[str, Any], language: str) -> dict[str, Any]:
        return {
            "title": (lesson.get("title") or {}).get(language, ""),
            "body": (lesson.get("body") or {}).get(language, ""),
            "video_url": lesson.get("video_url") or "",
            "transcript": (lesson.get("transcript") or {}).get(language, ""),
            "downloads": "\n".join(f"{row['name']} {row['url']}" for row in lesson.get("files") or []),
        }

    def values(self) -> dict[str, Any]:
        """The cleaned values as the authoring service reads them."""
        return {**self.cleaned_data, "files": self.cleaned_data.get("downloads") or []}


class QuizForm(forms.Form):
    title = forms.CharField(label=_("Title of the quiz"), max_length=300)
    pass_mark = forms.IntegerField(
        label=_("Pass mark (per cent)"),
        min_value=0,
        max_value=100,
        initial=70,
        error_messages={
            "min_value": _("The pass mark is a percentage from 0 to 100."),
            "max_value": _("The pass mark is a percentage from 0 to 100."),
        },
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"),
        min_value=0,
        max_value=100,
        initial=3,
        help_text=_("0: no limit."),
    )
    draw = forms.IntegerField(
        label=_("Questions drawn for each attempt"),
        min_value=0,
        max_value=500,
        initial=0,
        help_text=_("Drawn at random from the quiz's questions; 0: all of them."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Empty: the quiz does not close."),
    )

    @staticmethod
    def initial_for(quiz: Mapping[str, Any], language: str) -> dict[str, Any]:
        from clearinghouse.learning.outline import closes_at

        return {
            "title": (quiz.get("title") or {}).get(language, ""),
            "pass_mark": quiz.get("pass_mark"),
            "max_attempts": quiz.get("max_attempts") or 0,
            "draw": quiz.get("draw") or 0,
            "closes_at": closes_at(quiz),
        }


class QuestionForm(forms.Form):
    """What every question has: its text and the feedback shown after an answer."""

    kind = ""
    text = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    feedback = forms.CharField(
        label=_("Feedback after an answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, slots: int = MIN_SLOTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.add_slots()

    def add_slots(self) -> None:
        """The rows of choices or pairs, for the kinds that have them."""

    def values(self) -> dict[str, Any]:
        """The cleaned values as the authoring service reads them."""
        return {"text": self.cleaned_data["text"], "feedback": self.cleaned_data.get("feedback") or ""}

    @classmethod
    def initial_for(cls, question: Mapping[str, Any], language: str) -> dict[str, Any]:
        return {
            "text": (question.get("text") or {}).get(language, ""),
            "feedback": (question.get("feedback") or {}).get(language, ""),
        }

    @staticmethod
    def slots_for(question: Mapping[str, Any] | None) -> int:
        rows = len((question or {}).get("choices") or (question or {}).get("pairs") or [])
        return max(MIN_SLOTS, rows + EXTRA_SLOTS)


class ChoiceQuestionForm(QuestionForm):
    kind = "single"

    def add_slots(self) -> None:
        for number in range(1, self.slots + 1):
            self.fields[f"choice_{number}"] = forms.CharField(
                label=_("Choice %(number)d") % {"number": number}, required=False, max_length=1000
            )
            self.fields[f"correct_{number}"] = forms.BooleanField(
                label=_("Choice %(number)d is right") % {"number": number}, required=False
            )

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"choice_{n}"], self[f"correct_{n}"]) for n in range(1, self.slots + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, self.slots + 1):
            if cleaned.get(f"correct_{number}") and not str(cleaned.get(f"choice_{number}") or "").strip():
                self.add_error(f"choice_{number}", _("A right answer needs its text."))
        return cleaned

    def values(self) -> dict[str, Any]:
        rows = [
            (self.cleaned_data.get(f"choice_{n}") or "", bool(self.cleaned_data.get(f"correct_{n}")))
            for n in range(1, self.slots + 1)
        ]
        return super().values() | {"choices": rows}

    @classmethod
    def initial_for(cls, question: Mapping[str, Any], language: str) -> dict[str, Any]:
        initial = super().initial_for(question, language)
        for number, choice in enumerate(question.get("choices") or [], start=1):
            initial[f"choice_{number}"] = (choice.get("text") or {}).get(language, "")
            initial[f"correct_{number}"] = bool(choice.get("correct"))
        return initial


class SingleChoiceForm(ChoiceQuestionForm):
    kind = "single"


class MultipleChoiceForm(ChoiceQuestionForm):
    kind = "multiple"


class TrueFalseForm(QuestionForm):
    kind = "true_false"
    answer = forms.TypedChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )

    def values(self) -> dict[str, Any]:
        return super().values() | {"answer": self.cleaned_data["answer"]}

    @classmethod
    def initial_for(cls, question: Mapping[str, Any], language: str) -> dict[str, Any]:
        answer = question.get("answer")
        return super().initial_for(question, language) | (
            {"answer": "true" if answer else "false"} if isinstance(answer, bool) else {}
        )


class ShortAnswerForm(QuestionForm):
    kind = "short"
    accepted = forms.CharField(
        label=_("Accepted answers in this language"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line. Capitals, accents and spaces around them do not count."),
    )

    def values(self) -> dict[str, Any]:
        answers = [line.strip() for line in str(self.cleaned_data.get("accepted") or "").splitlines()]
        return super().values() | {"accepted": [answer for answer in answers if answer]}

    @classmethod
    def initial_for(cls, question: Mapping[str, Any], language: str) -> dict[str, Any]:
        accepted = (question.get("accepted") or {}).get(language) or []
        return super().initial_for(question, language) | {"accepted": "\n".join(accepted)}


class MatchingForm(QuestionForm):
    kind = "matching"

    def add_slots(self) -> None:
        for number in range(1, self.slots + 1):
            self.fields[f"left_{number}"] = forms.CharField(
                label=_("Pair %(number)d: item") % {"number": number}, required=False, max_length=500
            )
            self.fields[f"right_{number}"] = forms.CharField(
                label=_("Pair %(number)d: its match") % {"number": number}, required=False, max_length=500
            )

    def pair_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"left_{n}"], self[f"right_{n}"]) for n in range(1, self.slots + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, self.slots + 1):
            left = str(cleaned.get(f"left_{number}") or "").strip()
            right = str(cleaned.get(f"right_{number}") or "").strip()
            if bool(left) != bool(right):
                self.add_error(f"left_{number}", _("Give both sides of the pair, or neither."))
        return cleaned

    def values(self) -> dict[str, Any]:
        rows = [
            (self.cleaned_data.get(f"left_{n}") or "", self.cleaned_data.get(f"right_{n}") or "")
            for n in range(1, self.slots + 1)
        ]
        return super().values() | {"pairs": rows}

    @classmethod
    def initial_for(cls, question: Mapping[str, Any], language: str) -> dict[str, Any]:
        initial = super().initial_for(question, language)
        for number, pair in enumerate(question.get("pairs") or [], start=1):
            initial[f"left_{number}"] = (pair.get("left") or {}).get(language, "")
            initial[f"right_{number}"] = (pair.get("right") or {}).get(language, "")
        return initial


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    "single": SingleChoiceForm,
    "multiple": MultipleChoiceForm,
    "true_false": TrueFalseForm,
    "short": ShortAnswerForm,
    "matching": MatchingForm,
}
KIND_NAMES = {
    "single": _("Single choice"),
    "multiple": _("Multiple choice"),
    "true_false": _("True or false"),
    "short": _("Short answer"),
    "matching": _("Matching pairs"),
}
