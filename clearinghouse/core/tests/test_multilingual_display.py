from django.template import engines
from django.utils import translation

from clearinghouse.core.multilingual import show


def test_the_readers_language_is_shown_when_there_is_a_translation() -> None:
    picked = show({"ar": "بناء القدرات", "en": "Capacity-building"}, "ar", "en")
    assert (picked.text, picked.language, picked.is_fallback) == ("Capacity-building", "en", False)


def test_the_original_is_shown_and_marked_when_the_translation_is_missing() -> None:
    picked = show({"ar": "بناء القدرات", "en": "Capacity-building"}, "ar", "fr")
    assert (picked.text, picked.language, picked.is_fallback) == ("بناء القدرات", "ar", True)
    assert picked.direction == "rtl"


def test_chinese_readers_get_the_chinese_text() -> None:
    assert show({"zh": "能力建设", "en": "Capacity-building"}, "en", "zh-hans").text == "能力建设"


def test_the_template_tag_marks_the_original_language_in_the_readers_language() -> None:
    source = "{% load multilingual %}{% shown texts original %}"
    with translation.override("fr"):
        html = (
            engines["django"].from_string(source).render({"texts": {"ar": "بناء القدرات"}, "original": "ar"})
        )
    assert '<span lang="ar" dir="rtl">بناء القدرات</span>' in html
    assert "arabe" in html.lower()
