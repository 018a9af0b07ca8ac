"""The parser of the annex of decision XIII/23, checked against the Arabic text in ``plan/data``.

Expected values were read off the source text by hand (line numbers below are lines of that file),
not copied from the parser's output.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from clearinghouse.plan.parser import (
    Activity,
    Decision,
    PartnerAbbreviation,
    Plan,
    normalise_decision,
    parse_plan,
)

SOURCE = Path(__file__).resolve().parents[1] / "data" / "decision-XIII-23-ar.txt"
ALL_TARGETS = list(range(1, 21))

# `grep -P '\t' FILE | awk -F'\t' '{print $6}' | grep -oP '^(<p>)?\d+(?=[.-] \*)'` lists 70 numbers,
# and `grep -c '\*'` finds the asterisk on exactly those 70 table lines and nowhere else in a row.
PRIORITY = {
    1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 21, 23, 24, 25, 27, 28, 30, 31, 32, 38, 39,
    45, 46, 47, 48, 51, 52, 53, 54, 55, 57, 60, 61, 63, 64, 65, 68, 69, 72, 73, 75, 76, 79, 80, 81,
    82, 83, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
}  # fmt: skip
# `grep -o '(S)' FILE | wc -l` gives 36, all in the activity column (awk over columns 1-5 finds none)
# and on 36 different lines. 31 lines are numbered rows; 5 are page-break continuations (lines 203,
# 265, 273, 296 and 338) of activities 24, 50, 53, 64 and 82, whose numbered rows carry no (S).
SECRETARIAT = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 21, 23, 24, 30, 46, 50, 51, 52, 53, 55, 60, 63, 64,
    65, 68, 69, 72, 75, 76, 79, 81, 82, 83,
}  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> Plan:
    return parse_plan(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def activities(plan: Plan) -> dict[int, Activity]:
    return {activity.number: activity for activity in plan.activities}


def test_the_data_file_is_the_unchanged_reference_text() -> None:
    # The copy must stay byte for byte the published export, so that line numbers in problems hold.
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert digest == "e4b55ca6c30965edaa007328d3da61ff57d2b671ee4edbeda4453a7bc9ac5445"


def test_the_real_file_parses_without_problems(plan: Plan) -> None:
    assert plan.problems == []


def test_activities_are_numbered_1_to_110_each_exactly_once(plan: Plan) -> None:
    assert [activity.number for activity in plan.activities] == list(range(1, 111))


def test_sections_hold_the_activities_between_their_headings(plan: Plan) -> None:
    # Headings: A on line 123, B on 159, C on 350 and D on 373 (written "... - دال -"); the first
    # rows after them are activities 1, 10, 89 and 97.
    numbers_by_section: dict[str, list[int]] = {}
    for activity in plan.activities:
        numbers_by_section.setdefault(activity.section, []).append(activity.number)
    assert numbers_by_section == {
        "A": list(range(1, 10)),
        "B": list(range(10, 89)),
        "C": list(range(89, 97)),
        "D": list(range(97, 111)),
    }


def test_priority_activities_are_exactly_those_with_an_asterisk(plan: Plan) -> None:
    assert len(PRIORITY) == 70
    assert {activity.number for activity in plan.activities if activity.priority} == PRIORITY


def test_secretariat_activities_are_exactly_those_marked_s(plan: Plan) -> None:
    assert len(SECRETARIAT) == 36
    assert {activity.number for activity in plan.activities if activity.secretariat} == SECRETARIAT


def test_no_field_keeps_footnote_markers_tags_or_marks(plan: Plan) -> None:
    superscripts = set("¹²³⁰⁴⁵⁶⁷⁸⁹")
    for activity in plan.activities:
        texts = [
            activity.theme,
            activity.text,
            activity.decisions_text,
            activity.timeframe_text,
            activity.partners_text,
            *activity.outputs,
            *activity.indicators,
            *activity.partners,
        ]
        for text in texts:
            assert not superscripts & set(text), (activity.number, text)
            assert "<p>" not in text, (activity.number, text)
            assert "</p>" not in text, (activity.number, text)
            assert text == text.strip(), (activity.number, text)
            assert "  " not in text, (activity.number, text)
        assert "(S)" not in activity.text, activity.number
        assert "*" not in activity.text, activity.number
        assert not activity.text[:1].isdigit(), activity.number


def test_activity_1_opens_section_a_with_its_secretariat_mark_removed(
    activities: dict[int, Activity],
) -> None:
    # Line 126.
    assert activities[1] == Activity(
        number=1,
        section="A",
        theme="",
        text=(
            "إعداد أدوات على الإنترنت لتمكين الأطراف والشعوب الأصلية والمجتمعات المحلية من تقييم وتسجيل"
            " احتياجاتها من بناء القدرات (CB) والتعاون التقني والعلمي (TSC) في آلية غرفة تبادل المعلومات"
            " (CHM)"
        ),
        priority=True,
        secretariat=True,
        decisions=[Decision("COP", "XII/2"), Decision("COP", "XI/2")],
        decisions_text="المقرر 2/12 باء الفقرة 8 (و)؛ والمقرر 2/11",
        start_year=2017,
        end_year=2020,
        timeframe_text="2020-2017",
        outputs=[
            "أشكال مشتركة لتقييم الاحتياجات من بناء القدرات ونماذج طلبات المساعدة للتعاون التقني والعلمي"
            " متاحة على الإنترنت من خلال آلية غرفة تبادل المعلومات إنشاء مستودع/قاعدة بيانات لاحتياجات"
            " وطلبات مفصلة لبناء القدرات والتعاون التقني والعلمي التي أعربت عنها الأطراف والشعوب الأصلية"
            " والمجتمعات المحلية احتياجات بناء القدرات من الأطراف بشأن مراجعة الاستراتيجيات وخطط العمل"
            " الوطنية للتنوع البيولوجي والتنفيذ المفصل الوارد في قاعدة البيانات بطريقة منظمة وقابلة للبحث"
        ],
        indicators=[
            "الاتجاهات في عدد الأطراف التي تستخدم الأشكال المشتركة لتقييم وتسجيل احتياجاتها إلى بناء"
            " القدرات والتعاون التقني والعلمي في آلية غرفة تبادل المعلومات",
            "الاتجاهات في عدد الأطراف التي قدمت طلبات للمساعدة",
            "عدد الاحتياجات المفصلة في قاعدة البيانات المتطابقة مع الدعم المتاح",
        ],
        # The comma inside "NBSAP Forum (UNDP, UNEP-WCMC)" does not split the partner.
        partners=["BBI", "IPBES", "UNDP/ BES-Net", "NBSAP Forum (UNDP, UNEP-WCMC)", "CTCN"],
        partners_text="BBI, IPBES, UNDP/ BES-Net, NBSAP Forum (UNDP, UNEP-WCMC), CTCN",
        aichi_targets=[],
    )


def test_activity_4_continues_across_the_page_break(activities: dict[int, Activity]) -> None:
    # Line 141 (cells in <p> tags) runs on at line 144, after the repeated header: the last
    # indicator and the last output continue mid-sentence ("بعد الموافقة" / "الناجحة").
    assert activities[4] == Activity(
        number=4,
        section="A",
        theme="",
        text=(
            "إنشاء مكتب للمساعدة لدعم الأطراف في وصف احتياجاتها لبناء القدرات/التعاون التقني والعلمي وشرح"
            " مشروعاتها للتعاون التقني والعلمي وتنسيق توافق الطلبات للمساعدة مع الدعم المتاح (الموارد،"
            " والخبرة، وأدوات الدعم)"
        ),
        priority=True,
        secretariat=True,
        decisions=[Decision("COP", "XII/2"), Decision("COP", "XI/2")],
        decisions_text="المقرر 2/12 باء، الفقرات 8(ز)، و9(ب) و(ج)؛ والمقرر 2/11",
        start_year=2017,
        end_year=2020,
        timeframe_text="2017-2020",
        outputs=[
            "تم إنشاء مكتب مساعدة في الأمانة وهو يعمل على مساعدة الأطراف",
            "تم إنشاء مكاتب المساعدة الإقليمية في المؤسسات الشريكة الاستراتيجية لمساعدة الأطراف، بالتعاون"
            " مع مكتب المساعدة المركزي، للتعبير عن احتياجاتهم والتعرف على فرص الدعم التقني على المستوى"
            " الإقليمي",
        ],
        indicators=[
            "الاتجاهات في عدد الأطراف التي تمت مساعدتها من خلال مكتب المساعدة للتعبير عن احتياجاتهم"
            " وطلبات الحصول على المساعدة",
            "عدد مبادرات التعاون التقني والعلمي التي أطلقت بعد الموافقة الناجحة التي بذلت مع دعم مكتب"
            " المساعدة",
            "الاتجاهات في مستوى دعم مكاتب المساعدة الإقليمية التي تدعم بنشاط الأطراف",
        ],
        partners=["BBI partners", "QCBS", "CSP"],
        partners_text="BBI partners, QCBS, CSP",
        aichi_targets=[],
    )


def test_activity_14_has_no_asterisk_and_no_secretariat_role(activities: dict[int, Activity]) -> None:
    # Line 179, under the heading for Aichi target 1 (line 162).
    assert activities[14] == Activity(
        number=14,
        section="B",
        theme="الهدف 1 من أهداف أيشي للتنوع البيولوجي",
        text="تطوير وإتاحة أدوات تقنية وتوجيهات بشأن تنفيذ مسوحات لتقييم مستويات التوعية العامة",
        priority=False,
        secretariat=False,
        decisions=[
            Decision("COP", "XII/2"),
            Decision("COP", "XII/10"),
            Decision("COP", "VIII/6"),
            Decision("COP", "IX/32"),
            Decision("COP", "VII/24"),
            Decision("NP", "I/9"),
        ],
        decisions_text=(
            "المقرر 2/12 جيم؛ والمقرر 10/12؛ والمقرر 6/8؛ و 32/9، الفقرة 12؛ والمقرر 24/7؛ والمقرر 32/9،"
            " الفقرة 10؛ والمقرر 2/12 جيم، الفقرة 3؛ والمقرر NP-1/9"
        ),
        start_year=2017,
        end_year=2020,
        timeframe_text="2020-2017",
        outputs=[
            "تتمتع الأطراف وأصحاب المصلحة بالوصول إلى التوجيهات بشأن عمليات المسوحات لتقييم مستويات"
            " التوعية العامة"
        ],
        indicators=[
            "الاتجاهات في عدد الأطراف وأصحاب المصلحة التي تستخدم التوجيهات",
            "تم استلام تعقيبات إيجابية",
        ],
        partners=["UNESCO", "IUCN-CEC", "UNEP", "ACB"],
        partners_text="UNESCO, IUCN-CEC, UNEP, ACB",
        aichi_targets=[1],
    )


def test_activity_50_joins_a_word_hyphenated_at_the_page_break(activities: dict[int, Activity]) -> None:
    # Line 262 ends its partners with "IOC-" and line 265 goes on with "UNESCO"; the (S) of the
    # activity is only on the continuation line.
    assert activities[50] == Activity(
        number=50,
        section="B",
        theme="الهدف 9 من أهداف أيشي للتنوع البيولوجي",
        text=(
            "تنظم، بالتعاون مع الشركاء الإقليميين، حلقات عمل تدريبية لبناء قدرات الجهات الفاعلة الرئيسية في"
            " الدول الجزرية الصغيرة النامية لتصميم وتقديم مقترحات للمشاريع ذات النوعية الجيدة بشأن الأنواع"
            " الغريبة الغازية"
        ),
        priority=False,
        secretariat=True,
        decisions=[Decision("COP", "XII/11"), Decision("COP", "XI/15")],
        decisions_text="المقرر 11/12، الفقرات 2، و4 (أ) و4 (ج)؛ والمقرر 15/11، الفقرتان 5 و8",
        start_year=2017,
        end_year=2020,
        timeframe_text="2020-2017",
        outputs=[
            "تعزيز قدرات أصحاب المصلحة المعنيين (نقاط الاتصال لاتفاقية التنوع البيولوجي ومرفق البيئة"
            " العالمية وNPPOs، وما إلى ذلك)"
        ],
        indicators=[
            "عدد مشاريع مرفق البيئة العالمية بشأن الأنواع الغريبة الغازية المقدمة من الدول الجزرية الصغيرة"
            " النامية",
            "كمية الأموال التي تم تعيينها من مرفق البيئة العالمية ومصادر أخرى لإدارة الأنواع الغريبة الغازية",
            "تم حشد الموارد التقنية",
        ],
        partners=[
            "SPREP",
            "SPC",
            "CABI",
            "IOC-UNESCO",
            "UNEP",
            "UNDP",
            "GLISPA",
            "Island Conservation",
            "IUCN-ISSG",
            "WTO",
            "IMO",
            "CITES",
        ],
        partners_text=(
            "SPREP, SPC, CABI, IOC-UNESCO, UNEP, UNDP, GLISPA, Island Conservation, IUCN-ISSG, WTO, IMO,"
            " CITES"
        ),
        aichi_targets=[9],
    )


def test_activity_90_keeps_its_partners_out_of_the_indicators(activities: dict[int, Activity]) -> None:
    # Line 360 starts with an empty cell and has no outputs cell: in the PDF the outputs of 89-92
    # are one merged cell, so the export shifted the partners into the indicators column.
    assert activities[90] == Activity(
        number=90,
        section="C",
        theme="",
        text=(
            "توسيع نطاق حلقات العمل التدريبية التي تنظم بالاشتراك مع المنظمة الدولية لقانون التنمية بشأن"
            " وضع أطر قانونية لتنفيذ بروتوكول ناغويا لصالح المزيد من الأطراف"
        ),
        priority=True,
        secretariat=False,
        decisions=[Decision("NP", "I/8")],
        decisions_text="NP-1/8",
        start_year=2017,
        end_year=2020,
        timeframe_text="2020-2017",
        outputs=[],
        indicators=[
            "عدد البلدان المشاركة التي وضعت أطر وهياكل مؤسسية في مجال الحصول وتقاسم المنافع، أو شرعت في"
            " عملية وضع أو تنقيح هذه الأطر والهياكل تنظيم ثماني حلقات عمل تدريبية إقليمية و/أو دون إقليمية"
            " تدريب ما لا يقل عن 160 موظفا حكوميا على وضع/تعديل تدابير الحصول وتقاسم المنافع لتنفيذ"
            " البروتوكول"
        ],
        # The conjunction و repeated before each item of an Arabic list is not part of the name.
        partners=[
            "المنظمة الدولية لقانون التنمية",
            "مبادرة الحصول وتقاسم المنافع",
            "منظمات أخرى حسب الاقتضاء",
        ],
        partners_text=(
            "المنظمة الدولية لقانون التنمية، ومبادرة الحصول وتقاسم المنافع، ومنظمات أخرى حسب الاقتضاء"
        ),
        aichi_targets=[],
    )


def test_activity_97_maps_old_biosafety_decisions_to_the_cartagena_protocol(
    activities: dict[int, Activity],
) -> None:
    # Line 376, the first row of section D.
    assert activities[97] == Activity(
        number=97,
        section="D",
        theme="",
        text=(
            "وضع مواد ومبادئ توجيهية لبناء القدرات بشأن تعميم السلامة الأحيائية في الاستراتيجيات وخطط العمل"
            " الوطنية للتنوع البيولوجي وخطط التنمية الوطنية"
        ),
        priority=True,
        secretariat=False,
        decisions=[Decision("CP", "VII/5"), Decision("CP", "VII/1")],
        decisions_text="المقرر BS-VII/5، الفقرة 10؛ والمقرر BS-VII/1، الفقرة 5",
        start_year=2017,
        end_year=2018,
        timeframe_text="2018-2017",
        outputs=[
            "إعداد نموذج تعلم إلكتروني وحزمة أدوات بشأن تعميم السلامة الأحيائية وإتاحتها باللغات الإنكليزية"
            " والفرنسية والإسبانية تعزيز قدرة الأطراف على إدماج قضايا السلامة الأحيائية في الاستراتيجيات"
            " وخطط العمل الوطنية للتنوع البيولوجي وخطط التنمية الوطنية والسياسات والبرامج القطاعية"
        ],
        indicators=[
            "الاتجاهات في عدد من الأطراف التي تحصل على نموذج التعلم الإلكتروني وحزمة الأدوات وتستخدمها في"
            " تعزيز إدماج السلامة الأحيائية في استراتيجياتها وخطط عملها الوطنية للتنوع البيولوجي"
        ],
        partners=["جامعة ستراتيشكلايد"],
        partners_text="جامعة ستراتيشكلايد",
        aichi_targets=[],
    )


def test_activity_110_closes_section_d_without_partners(activities: dict[int, Activity]) -> None:
    # Line 395: the partners cell is empty in the source.
    assert activities[110] == Activity(
        number=110,
        section="D",
        theme="",
        text=(
            "تنظيم حلقات عمل لزيادة الوعي ببروتوكول ناغويا- كوالالمبور التكميلي بشأن المسؤولية والجبر"
            " التعويضي"
        ),
        priority=False,
        secretariat=False,
        decisions=[Decision("CP", "VIII/11")],
        decisions_text="المقرر CP-VIII/11، الفقرة 4",
        start_year=2017,
        end_year=2020,
        timeframe_text="2020-2017",
        outputs=[
            "تحسين وعي الأطراف وفهمها فيما يتعلق ببروتوكول ناغويا- كوالالمبور التكميلي بشأن المسؤولية والجبر"
            " التعويضي"
        ],
        indicators=["عدد حلقات عمل بناء القدرات التي تم تنظيمها وعدد الأطراف التي حضرت حلقات العمل"],
        partners=[],
        partners_text="",
        aichi_targets=[],
    )


def test_a_secretariat_mark_after_a_dash_is_removed_with_the_dash(activities: dict[int, Activity]) -> None:
    # Line 339 ends "قبل كل اجتماع لمؤتمر الأطراف - (S)".
    assert activities[83].secretariat
    assert activities[83].text.endswith("قبل كل اجتماع لمؤتمر الأطراف")


def test_continuation_rows_extend_partners_and_decisions(activities: dict[int, Activity]) -> None:
    # Line 281 finishes the partners of 57; line 171 adds two decisions to 11, of which XII/2 is
    # already cited on line 164 and is kept once.
    assert activities[57].partners[-1] == "Biodiversity and Community Health Initiative (BaCH)"
    assert activities[11].decisions == [
        Decision("COP", "XII/2"),
        Decision("COP", "XII/10"),
        Decision("COP", "VIII/6"),
        Decision("COP", "IX/32"),
        Decision("COP", "VII/24"),
        Decision("NP", "I/9"),
    ]
    assert activities[11].decisions_text.endswith("والمقرر 2/12 جيم، الفقرة 3؛ والمقرر NP-1/9")


def test_time_frames_are_read_in_either_order(activities: dict[int, Activity]) -> None:
    # "2020-2017" is written reversed, "2019-2020" (line 371) is not, and 89 adds "مستمر" (ongoing).
    assert (activities[10].start_year, activities[10].end_year) == (2017, 2018)
    assert (activities[96].start_year, activities[96].end_year) == (2019, 2020)
    assert (activities[89].start_year, activities[89].end_year) == (2017, 2020)
    assert activities[89].timeframe_text == "2020-2017 مستمر"


def test_theme_headings_give_their_aichi_targets(activities: dict[int, Activity]) -> None:
    # Line 215 names 5, 14 and 15, then "indirectly" 7, 11, 12 and 13: all are kept, sorted.
    assert activities[30].aichi_targets == [5, 7, 11, 12, 13, 14, 15]
    # Line 285 writes "الاهداف" without hamza and lists the targets out of order.
    assert activities[60].aichi_targets == [7, 14, 15]
    # Line 291 misspells Aichi ("أبشي").
    assert activities[63].theme == "الهدف 17 من أهداف أبشي للتنوع البيولوجي"
    assert activities[63].aichi_targets == [17]
    # Line 302 spaces its commas oddly: "الهدفان 18 ، و 16".
    assert activities[68].aichi_targets == [16, 18]


def test_cross_cutting_themes_cover_all_aichi_targets(activities: dict[int, Activity]) -> None:
    # Line 333: "الأنشطة الشاملة (جميع أهداف أيشي للتنوع البيولوجي) - ..." (all Aichi targets).
    assert activities[81].theme.endswith("- تعميم مراعاة الاعتبارات الجنسانية")
    assert activities[81].aichi_targets == ALL_TARGETS
    assert activities[88].theme.endswith("- الإبلاغ الوطني")


def test_indicators_run_together_by_the_export_are_split(activities: dict[int, Activity]) -> None:
    # Lines 182 and 185: four indicators without separators, one of them cut by the page break.
    assert activities[16].indicators == [
        "الاتجاهات في عدد البلدان المنخرطة في تعميم التنوع البيولوجي في عمليات التنمية والتخطيط والخطط"
        " والسياسات والبرامج القطاعية وعبر القطاعية",
        "عدد حلقات العمل وأنشطة التدريب التي تم تنظيمها",
        "تم إتاحة عدد من المواد للتنمية القدرات من خلال آلية غرفة تبادل المعلومات",
        "مستوى التعقيبات الإيجابية الواردة من أصحاب المصلحة",
    ]


def test_partners_are_split_on_commas_without_empty_items(activities: dict[int, Activity]) -> None:
    # Line 155 has ", ," and line 186 an Oxford "and".
    assert activities[9].partners == ["IDLO", "BBI partners", "UNDP", "UNEP and interested organizations"]
    assert activities[17].partners == ["SCBD", "ICLEI", "cities and other subnational governments", "GPLSAB"]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("المقرر 2/12", [Decision("COP", "XII/2")]),
        ("المقررات 2/12 و5/10", [Decision("COP", "XII/2"), Decision("COP", "X/5")]),
        ("المقرر CP-VIII/7 والمقرر NP-2/13", [Decision("CP", "VIII/7"), Decision("NP", "II/13")]),
        ("المقرر BS-VII/5، الفقرة 10", [Decision("CP", "VII/5")]),
        ("والمقرر NP- 1/2؛", [Decision("NP", "I/2")]),
        ("المقرر 2/12/2012؛ المقرر 23/13/2013", [Decision("COP", "XII/2"), Decision("COP", "XIII/23")]),
        ("المقرر 2/12 باء الفقرة 8 (و)؛ والمقرر 2/12(ج)", [Decision("COP", "XII/2")]),
        ("المقرر 29/12، الفقرات 9-11", [Decision("COP", "XII/29")]),
        ("2/10", [Decision("COP", "X/2")]),
        ("جميع مقررات الاجتماع السابع لمؤتمر الأطراف", []),
    ],
)
def test_decision_references_are_normalised(reference: str, expected: list[Decision]) -> None:
    assert normalise_decision(reference) == expected


def test_decisions_are_cited_in_their_english_form() -> None:
    assert Decision("COP", "XII/2").text == "decision XII/2"
    assert Decision("CP", "VIII/7").text == "decision CP-VIII/7"
    assert Decision("NP", "II/13").text == "decision NP-II/13"
    assert Decision("COP", "XIII/23").meeting == 13


def test_the_abbreviation_list_has_all_95_entries(plan: Plan) -> None:
    # `sed -n '398,$p' FILE | grep -c ' = '` counts 95 entries, from ABS to WWF.
    assert len(plan.abbreviations) == 95
    assert plan.abbreviations[0] == PartnerAbbreviation(
        "ABS", "مبادرة تنمية القدرات في مجال الحصول وتقاسم المنافع", "www.abs-initiative.info"
    )
    assert plan.abbreviations[-1] == PartnerAbbreviation(
        "WWF", "الصندوق العالمي للأحياء البرية", "www.panda.org"
    )


@pytest.mark.parametrize(
    "entry",
    [
        # Line 404: address in angle brackets.
        PartnerAbbreviation("BBI", "مبادرة الجسر البيولوجي", "http://www.cbd.int/biobridge"),
        # Lines 406-407: the address is on the next line.
        PartnerAbbreviation(
            "BIOFIN",
            "مبادرة تمويل التنوع البيولوجي",
            "http://www.undp.org/content/undp/en/home/ourwork/environmentandenergy/projects_and_initiatives"
            "/biodiversity-finance-initiative/",
        ),
        # Line 427: an acronym with a space.
        PartnerAbbreviation(
            "GEO BON", "شبكة رصد التنوع البيولوجي التابعة للفريق المعني برصد الأرض", "http://geobon.org"
        ),
        # Line 454: no address.
        PartnerAbbreviation("IWBN", "شبكة نساء الشعوب الأصلية المعنية بالتنوع البيولوجي", ""),
        # Line 476: brackets inside the name.
        PartnerAbbreviation("UNDP", "برنامج الأمم المتحدة الإنمائي (يونديبي)", "http://www.undp.org"),
        # Line 481: from here on most entries are written "(address) = name ACRONYM".
        PartnerAbbreviation("UNESCO", "منظمة الأمم المتحدة للتربية والعلم والثقافة", "http://www.unesco.org"),
    ],
)
def test_abbreviation_entries_are_read_in_both_layouts(plan: Plan, entry: PartnerAbbreviation) -> None:
    assert entry in plan.abbreviations


def _document(*rows: str) -> str:
    """A minimal annex: rows start on line 5, after "مرفق", a blank and the heading of section A."""
    return "\n".join(
        [
            "مرفق",
            "",
            "ألف - الأنشطة",
            "",
            *rows,
            "",
            "قائمة بالمختصرات المستخدمة في الجداول",
            "- ABS = مبادرة",
        ]
    )


def _row(activity: str, *, partners: str = "UNEP", timeframe: str = "2020-2017", decisions: str = "") -> str:
    return "\t".join([partners, "عدد", "تم", timeframe, decisions, activity])


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ((_row("1. أ"), _row("3. ب")), 6, "activity 3, expected 2"),
        ((_row("ب"),), 5, "unnumbered row does not follow an activity"),
        ((_row("1. أ"), "نص شارد"), 6, "text between table rows is not a heading or footnote"),
        (
            (_row("1. أ"), "\t".join(["UNEP", "", "", "", "", ""])),
            6,
            "row has text only in the partners column",
        ),
        ((_row("1. أ", timeframe="مستمر"),), 5, "time frame is not one year or a range of two"),
        ((_row("1. أ", decisions="المقرر 2/14"),), 5, "decision XIV/2 cites an unknown meeting"),
        ((_row("1. أ") + "\tخلية",), 5, "row has 7 cells, expected 6"),
    ],
)
def test_what_cannot_be_placed_is_reported_with_its_line(
    rows: tuple[str, ...], line: int, reason: str
) -> None:
    problems = parse_plan(_document(*rows)).problems
    assert [(problem.line, problem.reason) for problem in problems] == [(line, reason)]


def test_a_text_without_the_annex_is_reported() -> None:
    problems = parse_plan("نص بلا مرفق").problems
    assert [problem.reason for problem in problems] == [
        "list of abbreviations not found",
        "annex heading 'مرفق' not found",
    ]
