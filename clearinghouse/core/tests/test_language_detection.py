import pytest

from clearinghouse.core.detection import detect_language, latin_language
from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.tests.testapp.models import Note


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("بناء القدرات في مجال التنوع البيولوجي", "ar"),
        ("生物多样性能力建设", "zh"),
        ("Training of customs officers on invasive alien species", "en"),
        ("Renforcement des capacités pour les aires protégées", "fr"),
        ("Создание потенциала в области биобезопасности", "ru"),
        ("Creación de capacidad para la gestión de humedales", "es"),
    ],
)
def test_the_six_languages_are_recognised(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_no_text_no_guess() -> None:
    assert detect_language("   ") is None
    assert detect_language("🌊 2030 !") is None, "no letters: nothing to tell a language by"


def test_a_phrase_is_told_apart_surely_and_a_word_spelt_alike_in_several_languages_is_not() -> None:
    # The search by meaning falls back to the reader's language below 60 % (MIN_CONFIDENCE).
    language, confidence = latin_language("especies exóticas invasoras")
    assert language == "es" and confidence > 0.9
    _language, confidence = latin_language("coral")
    assert confidence < 0.6


def test_a_record_without_a_stated_language_gets_the_detected_one(world: World) -> None:
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "", "title": {"es": "Restauración de manglares en la costa"}},
    )
    assert note.original_language == "es"
