"""A text made only of invisible characters (zero-width spaces, direction marks, byte-order
marks, soft hyphens) is no text: such a title is refused like an empty one, in the person's
language, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.core.text import trimmed
from clearinghouse.publishing import workflow
from clearinghouse.publishing.tests.testapp.models import Note

INVISIBLE = "\u200b\u200e\ufeff\u00ad\u2060 \u3000"


def test_a_title_of_invisible_characters_is_no_title(world: World) -> None:
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            workflow.create(
                Note,
                actor=world.authorised_user,
                owner=world.kenya,
                values={"original_language": "en", "title": {"en": INVISIBLE}, "year": 2026},
            )
        assert "vide" in " ".join(refused.value.message_dict["title"])
    assert not Note.objects.exists()


def test_texts_are_kept_trimmed_and_what_is_inside_them_stays(world: World) -> None:
    # A zero-width non-joiner between letters is part of the word; at the ends it is noise.
    word = "می\u200cخواهم"
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={
            "original_language": "en",
            "title": {"en": "\ufeff Reef survey\u200b", "fr": INVISIBLE, "ar": f"\u200f{word}"},
            "year": 2026,
        },
    )
    assert note.title == {"en": "Reef survey", "ar": word}
    assert trimmed(f"{INVISIBLE}{word}{INVISIBLE}") == word
