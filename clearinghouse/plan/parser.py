"""Parser for the annex of CBD decision XIII/23 (short-term action plan 2017-2020 on capacity-building).

The input is the Arabic text export of the published PDF. The annex is a table whose rows are single
lines of six TAB-separated cells in right-to-left order: partners, indicators, outputs/outcomes, time
frame, decisions, activity. Around the rows the export keeps what the PDF had on each page: the
repeated column headers, footnotes, section headings (A to D) and theme headings (Aichi targets or
cross-cutting themes). Rows cut by a page break continue on an unnumbered row after the next header.
The annex ends with a list of the abbreviations used for partner organisations.

The module is pure Python (no Django) so that it can be tested and reused on its own. Headers,
footnotes and the annex title are skipped on purpose; any other text it cannot place is reported in
``Plan.problems`` with its line number rather than dropped or guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DecisionKind = Literal["COP", "CP", "NP"]

# Highest meeting whose decisions the annex (adopted in December 2016) can cite: COP 13, the eighth
# meeting of the Parties to the Cartagena Protocol and the second of the Nagoya Protocol.
LAST_MEETING: dict[DecisionKind, int] = {"COP": 13, "CP": 8, "NP": 2}

# Column positions of a table row, in the order the export writes them.
PARTNERS, INDICATORS, OUTPUTS, TIMEFRAME, DECISIONS, ACTIVITY = range(6)
COLUMN_COUNT = 6

# A header row names every column; each cell must contain its keyword.
HEADER_KEYWORDS = ("الشركاء", "مؤشرات", "النتائج", "الزمني", "مقررات", "النشاط")

SECTION_LETTERS = {"ألف": "A", "باء": "B", "جيم": "C", "دال": "D"}
ANNEX_HEADING = "مرفق"

# Footnote markers are superscript digits (¹ ² ³ and U+2070-U+2079).
SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070-\u2079]")
# A footnote line starts with its superscript number.
FOOTNOTE_LINE = re.compile("^[\u00b9\u00b2\u00b3\u2070-\u2079]")
# The export keeps paragraph tags in a few cells; each <p> is one item of the cell.
PARAGRAPH_TAG = re.compile(r"</?p>")
# A continuation cell runs on inside the last paragraph of the cell it continues.
PARAGRAPH_END = re.compile(r"</p>$")
# A word hyphenated at a page break ("IOC-" / "UNESCO") joins without a space.
HYPHENATED_END = re.compile(r"\S-$")
# Runs of spaces (the export doubles some) collapse to one.
WHITESPACE = re.compile(r"\s+")
# "12. * text" or "16- * text": activity number, then the priority asterisk if any.
ACTIVITY_NUMBER = re.compile(r"^(\d+)\s*[.\-]\s*(\*)?\s*")
# "(S)" marks a Secretariat role; sometimes written after a dash ("... - (S)").
SECRETARIAT_MARK = re.compile(r"\s*-?\s*\(S\)")
# "ألف - title" for sections A to C; section D is written "title - دال -".
SECTION_HEADING = re.compile(r"^(ألف|باء|جيم|دال)\s*-\s|-\s*(ألف|باء|جيم|دال)\s*-?$")
# Theme rows start with "الهدف N", "الهدفان N", "الأهداف N" (sometimes without hamza) or
# "الأنشطة الشاملة" (cross-cutting activities).
THEME_HEADING = re.compile(r"^(?:الهدف|الهدفان|ال[أا]هداف)\s+\d|^الأنشطة الشاملة")
# Cross-cutting themes apply to "جميع أهداف أيشي" (all the Aichi targets).
ALL_TARGETS = re.compile(r"جميع\s+أهداف")
AICHI_TARGET_COUNT = 20
# Target numbers in a theme heading.
NUMBER = re.compile(r"\d+")
# Years of a time frame ("2020-2017", "2019-2020", "2020-2017 مستمر").
YEAR = re.compile(r"(?<!\d)20\d\d(?!\d)")
# Protocol decisions keep the English order meeting/number: NP-1/8, CP-VIII/7 and the older
# Cartagena prefix BS-VII/5. COP decisions are written the Arabic way, number/meeting ("2/12" is
# decision XII/2), sometimes followed by a stray year ("2/12/2012").
DECISION_REFERENCE = re.compile(
    r"(?P<protocol>NP|CP|BS)\s*-\s*(?P<protocol_meeting>[IVXLC]+|\d+)\s*/\s*(?P<protocol_number>\d+)"
    r"|(?<![\d/.\-])(?P<number>\d+)/(?P<meeting>\d+)(?:/\d{4})?(?![\d/])"
)
# Item separators inside indicator and output cells: semicolons (Latin and Arabic), paragraph tags
# and whitespace after a full stop.
ITEM_SEPARATOR = re.compile(r"[;؛]|</?p>|(?<=\.)\s+")
# Partners are separated by commas and semicolons (Latin and Arabic).
PARTNER_SEPARATORS = ",،;؛"
# An English list may put "and" after its last comma ("..., and GPLSAB").
LEADING_AND = re.compile(r"^and\s+")
# Arabic lists repeat the conjunction و ("and") before every item after the first.
LEADING_WAW = re.compile(r"^و(?=[\u0621-\u064a])")

# Indicators follow a formula ("عدد ..." number of, "الاتجاهات في ..." trends in, "مستوى ..."
# level of, "جودة"/"نوعية ..." quality of, "نسبة ..." share of, "التعقيبات ..." feedback, "تم ..."
# passive "has been ..."), and the export runs the items of a cell together. A lead word starts a
# new item unless the word before governs it.
INDICATOR_LEADS = frozenset(
    {"عدد", "الاتجاهات", "مستوى", "جودة", "نوعية", "نسبة", "النسبة", "التعقيبات", "تم"}
)
# Prepositions, relative pronouns, "ذات" (of), "أساس" (basis of) and "تم" itself make the next word
# part of the phrase.
GOVERNING_WORDS = frozenset(
    {"في", "من", "على", "إلى", "عن", "مع", "ذات", "أساس", "التي", "الذي", "الذين", "تم"}
)
# A verbal noun after "تم" governs the next word unless a pronoun suffix completes it ("تم تدريبهم").
PRONOUN_SUFFIXES = ("ها", "هم", "ه")

# "قائمة بالمختصرات ..." (list of abbreviations) ends the table.
ABBREVIATIONS_HEADING = re.compile(r"^قائمة بالمختصرات")
# Abbreviation entries: "- ACRONYM = name (url)" or, on some pages, "- (url) = name ACRONYM".
ABBREVIATION_ENTRY = re.compile(r"^-\s*(?P<left>.+?)\s+=\s+(?P<right>.+)$")
# A lone "- (url)" line completes the entry above it.
ABBREVIATION_URL_LINE = re.compile(r"^-\s*(?P<url>\(\S+\))$")
# A web address in brackets, optionally in angle brackets: "(www.x.org)", "(<http://x.org>)".
BRACKETED_URL = re.compile(r"\(<?(?P<url>(?:https?://|www\.)[^\s()<>]+)>?\)$")
# Acronyms are Latin letters, digits, "-", "/" and spaces ("GEO BON", "UNCCD/GM", "nrg4SD").
ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9\-/ ]*$")
# The acronym at the end of a reversed entry.
TRAILING_ACRONYM = re.compile(r"\s+(?P<acronym>[A-Za-z][A-Za-z0-9\-/]*)$")

ROMAN_NUMERALS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


@dataclass(frozen=True)
class Decision:
    """A decision cited by an activity.

    ``number`` is always "<meeting in roman numerals>/<decision number>", whatever the source wrote:
    the Arabic "2/12" (number/meeting) becomes COP "XII/2", "NP-1/8" becomes NP "I/8" and the older
    Cartagena prefix "BS-VII/5" becomes CP "VII/5", so that one form identifies a decision.
    """

    kind: DecisionKind
    number: str

    @property
    def meeting(self) -> int:
        """The meeting that adopted the decision, as an integer."""
        return _from_roman(self.number.split("/", 1)[0])

    @property
    def text(self) -> str:
        """English citation: "decision XII/2", "decision CP-VIII/7", "decision NP-I/8"."""
        prefix = "" if self.kind == "COP" else f"{self.kind}-"
        return f"decision {prefix}{self.number}"


@dataclass
class Activity:
    """One numbered activity of the action plan, its fields cleaned of footnote markers.

    - ``text`` is the activity without its number, priority asterisk and "(S)" mark.
    - ``theme`` is the heading row above the activity in section B ("" elsewhere), and
      ``aichi_targets`` every target that heading names, sorted, including those it calls related
      or indirect; a cross-cutting heading ("جميع أهداف أيشي", all targets) gives 1-20.
    - ``start_year``/``end_year`` come from the years of the time frame in either order
      ("2020-2017" is 2017-2020); ``timeframe_text`` keeps what the cell says ("2020-2017 مستمر").
    - ``outputs`` are split on paragraph tags, semicolons and sentence ends only; ``indicators``
      are also split before the lead words of the indicator formula (see ``_split_indicator``).
    - ``partners`` are split on commas and semicolons outside brackets and keep their wording
      ("مثل المذكور أعلاه", same as above, is not resolved); ``partners_text`` is the whole cell.
    """

    number: int
    section: str
    theme: str
    text: str
    priority: bool
    secretariat: bool
    decisions: list[Decision]
    decisions_text: str
    start_year: int | None
    end_year: int | None
    timeframe_text: str
    outputs: list[str]
    indicators: list[str]
    partners: list[str]
    partners_text: str
    aichi_targets: list[int]


@dataclass
class PartnerAbbreviation:
    """An entry of the list of abbreviations at the end of the annex (url is "" when none is given)."""

    acronym: str
    name: str
    url: str


@dataclass
class ParseProblem:
    """Something the parser could not place: the 1-based line, its text, and why."""

    line: int
    text: str
    reason: str


@dataclass
class Plan:
    """Everything parsed from the annex."""

    activities: list[Activity]
    abbreviations: list[PartnerAbbreviation]
    problems: list[ParseProblem]


@dataclass
class _Row:
    """An activity while its cells may still grow with continuation rows.

    The activity cell holds the text after the number and asterisk, which are kept apart.
    """

    line: int
    number: int
    priority: bool
    section: str
    theme: str
    aichi_targets: list[int]
    cells: list[str]


def parse_plan(text: str) -> Plan:
    """Parse the Arabic text of decision XIII/23 into activities, abbreviations and problems."""
    lines = text.splitlines()
    problems: list[ParseProblem] = []
    end = next((i for i, line in enumerate(lines) if ABBREVIATIONS_HEADING.match(line.strip())), None)
    if end is None:
        problems.append(ParseProblem(line=0, text="", reason="list of abbreviations not found"))
        end = len(lines)
    abbreviations = _parse_abbreviations(lines, end + 1, problems)
    organisation_names = {a.name for a in abbreviations} | {a.acronym for a in abbreviations}
    rows = _parse_table(lines[:end], organisation_names, problems)
    activities = [_finish(row, problems) for row in rows]
    _check_numbering(rows, problems)
    return Plan(activities=activities, abbreviations=abbreviations, problems=problems)


def normalise_decision(ref: str) -> list[Decision]:
    """Decisions cited in ``ref``, in order of first mention and without repeats.

    Arabic cites COP decisions as number/meeting: "المقرر 2/12" is decision XII/2 and
    "المقررات 2/12 و5/10" is XII/2 and X/5. Protocol decisions keep their Latin form: "CP-VIII/7",
    "BS-VII/5" (the Cartagena prefix before its eighth meeting, returned as CP) and "NP-1/8" (returned
    as NP "I/8"). Text that is not a decision reference ("الفقرة 8 (و)", years) is ignored.
    """
    decisions: list[Decision] = []
    for match in DECISION_REFERENCE.finditer(ref):
        if match["protocol"]:
            kind: DecisionKind = "NP" if match["protocol"] == "NP" else "CP"
            meeting_text = match["protocol_meeting"]
            meeting = int(meeting_text) if meeting_text.isdigit() else _from_roman(meeting_text)
            number = int(match["protocol_number"])
        else:
            kind, meeting, number = "COP", int(match["meeting"]), int(match["number"])
        decision = Decision(kind=kind, number=f"{_to_roman(meeting)}/{number}")
        if decision not in decisions:
            decisions.append(decision)
    return decisions


def _parse_table(lines: list[str], organisation_names: set[str], problems: list[ParseProblem]) -> list[_Row]:
    """Walk the annex line by line and collect its activity rows."""
    rows: list[_Row] = []
    start = next((i for i, line in enumerate(lines) if line.strip() == ANNEX_HEADING), None)
    if start is None:
        problems.append(ParseProblem(line=0, text="", reason=f"annex heading {ANNEX_HEADING!r} not found"))
        return rows
    section = ""
    theme = ""
    aichi_targets: list[int] = []
    current: _Row | None = None  # the activity that an unnumbered row continues
    expect_title = True  # the line after the annex heading is the title of the plan
    in_footnote = False
    for number, raw in enumerate(lines[start + 1 :], start=start + 2):
        line = _clean(raw)
        if not line:
            continue
        if "\t" not in raw:
            heading = SECTION_HEADING.search(line)
            if FOOTNOTE_LINE.match(raw.strip()):
                in_footnote = True
            elif heading:
                section = SECTION_LETTERS[heading[1] or heading[2]]
                theme, aichi_targets, current = "", [], None
            elif not (expect_title or in_footnote):
                # Footnotes may run on over several lines; anything else between rows is unexpected.
                problems.append(
                    ParseProblem(number, raw, "text between table rows is not a heading or footnote")
                )
            expect_title = False
            continue
        expect_title = in_footnote = False
        cells = [_clean(cell) for cell in raw.split("\t")]
        if len(cells) != COLUMN_COUNT:
            problems.append(ParseProblem(number, raw, f"row has {len(cells)} cells, expected {COLUMN_COUNT}"))
            continue
        if not section:
            problems.append(ParseProblem(number, raw, "table row before the first section heading"))
            continue
        plain = [_strip_tags(cell) for cell in cells]
        if plain[ACTIVITY] == HEADER_KEYWORDS[ACTIVITY]:
            if not all(keyword in cell for keyword, cell in zip(HEADER_KEYWORDS, plain, strict=True)):
                problems.append(ParseProblem(number, raw, "header row does not name the expected columns"))
            continue
        numbered = ACTIVITY_NUMBER.match(plain[ACTIVITY])
        if numbered:
            cells = _align(cells, organisation_names)
            cells[ACTIVITY] = plain[ACTIVITY][numbered.end() :]
            priority = numbered[2] is not None
            current = _Row(number, int(numbered[1]), priority, section, theme, aichi_targets, cells)
            rows.append(current)
        elif not any(plain[PARTNERS + 1 :]):
            if THEME_HEADING.match(plain[PARTNERS]):
                theme = plain[PARTNERS]
                aichi_targets = _aichi_targets(theme, number, problems)
                current = None
            else:
                # A partners-only row could be a continuation or an unrecognised heading: don't guess.
                problems.append(ParseProblem(number, raw, "row has text only in the partners column"))
        elif current is None:
            problems.append(ParseProblem(number, raw, "unnumbered row does not follow an activity"))
        else:
            current.cells = [_join(old, new) for old, new in zip(current.cells, cells, strict=True)]
    return rows


def _align(cells: list[str], organisation_names: set[str]) -> list[str]:
    """Put the cells of a numbered row in their columns.

    When a row of the PDF shares its outputs cell with the row above (activities 90-92), the export
    writes one cell fewer and pads the row with an empty first cell, so the partners land in the
    indicators column and the indicators in the outputs column. Such a row is recognised by an empty
    partners cell and an indicators cell that begins with an organisation from the abbreviation list.
    """
    if cells[PARTNERS]:
        return cells
    listed = _split_partners(_strip_tags(cells[INDICATORS]))
    if not listed or listed[0] not in organisation_names:
        return cells
    return [cells[INDICATORS], cells[OUTPUTS], "", *cells[TIMEFRAME:]]


def _finish(row: _Row, problems: list[ParseProblem]) -> Activity:
    """Turn the collected cells of a row into an Activity, reporting what does not fit."""
    activity_text = _strip_tags(row.cells[ACTIVITY])
    secretariat = SECRETARIAT_MARK.search(activity_text) is not None
    text = _squash(SECRETARIAT_MARK.sub(" ", activity_text))
    decisions_text = _strip_tags(row.cells[DECISIONS])
    decisions = normalise_decision(decisions_text)
    for decision in decisions:
        if not 1 <= decision.meeting <= LAST_MEETING[decision.kind]:
            problems.append(
                ParseProblem(row.line, decisions_text, f"{decision.text} cites an unknown meeting")
            )
    timeframe_text = _strip_tags(row.cells[TIMEFRAME])
    years = sorted({int(year) for year in YEAR.findall(timeframe_text)})
    if timeframe_text and len(years) not in (1, 2):
        problems.append(
            ParseProblem(row.line, timeframe_text, "time frame is not one year or a range of two")
        )
        years = []
    partners_text = _strip_tags(row.cells[PARTNERS])
    return Activity(
        number=row.number,
        section=row.section,
        theme=row.theme,
        text=text,
        priority=row.priority,
        secretariat=secretariat,
        decisions=decisions,
        decisions_text=decisions_text,
        start_year=years[0] if years else None,
        end_year=years[-1] if years else None,
        timeframe_text=timeframe_text,
        outputs=_split_items(row.cells[OUTPUTS]),
        indicators=[item for part in _split_items(row.cells[INDICATORS]) for item in _split_indicator(part)],
        partners=_split_partners(partners_text),
        partners_text=partners_text,
        aichi_targets=list(row.aichi_targets),
    )


def _check_numbering(rows: list[_Row], problems: list[ParseProblem]) -> None:
    """Report activities that are out of sequence, since a skipped number means a lost row."""
    expected = 1
    for row in rows:
        if row.number != expected:
            problems.append(
                ParseProblem(row.line, row.cells[ACTIVITY], f"activity {row.number}, expected {expected}")
            )
        expected = row.number + 1


def _aichi_targets(heading: str, line: int, problems: list[ParseProblem]) -> list[int]:
    """Aichi targets named by a theme heading, sorted, including those it names as related."""
    if ALL_TARGETS.search(heading):
        return list(range(1, AICHI_TARGET_COUNT + 1))
    targets = sorted({int(n) for n in NUMBER.findall(heading)})
    if not targets or not all(1 <= target <= AICHI_TARGET_COUNT for target in targets):
        problems.append(ParseProblem(line, heading, "theme heading does not name Aichi targets 1-20"))
        return []
    return targets


def _split_items(cell: str) -> list[str]:
    """Split a cell on paragraph tags, semicolons and sentence ends."""
    return [item for item in (_squash(part) for part in ITEM_SEPARATOR.split(cell)) if item]


def _split_indicator(item: str) -> list[str]:
    """Split run-together indicators before each lead word that starts a new one.

    A lead word stays inside the current indicator when:
    - the word before governs it (GOVERNING_WORDS, or another lead word: "مستوى التعقيبات");
    - it follows "تم + verbal noun" without a pronoun suffix ("تم نشر عدد");
    - it would leave a one-word indicator behind ("زيادة عدد");
    - it reads "عدد من" ("a number of", not "the number of").
    "الاتجاهات" counts only in "الاتجاهات في" (trends in).
    """
    words = item.split(" ")
    starts = [0]
    # From the third word on: an indicator has at least two words.
    for i in range(2, len(words)):
        word, previous, following = words[i], words[i - 1], words[i + 1] if i + 1 < len(words) else ""
        if (
            word in INDICATOR_LEADS
            and previous not in GOVERNING_WORDS | INDICATOR_LEADS
            and not (words[i - 2] == "تم" and not previous.endswith(PRONOUN_SUFFIXES))
            and i - starts[-1] >= 2
            and not (word == "عدد" and following == "من")
            and not (word == "الاتجاهات" and following != "في")
        ):
            starts.append(i)
    return [" ".join(words[a:b]) for a, b in zip(starts, [*starts[1:], len(words)], strict=True)]


def _split_partners(text: str) -> list[str]:
    """Split a partners cell on commas and semicolons outside brackets, dropping empty items."""
    items: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in PARTNER_SEPARATORS and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    partners: list[str] = []
    for item in (_squash(item) for item in items):
        cleaned = LEADING_AND.sub("", item)
        if partners and "،" in text:
            cleaned = LEADING_WAW.sub("", cleaned)
        if cleaned:
            partners.append(cleaned)
    return partners


def _parse_abbreviations(
    lines: list[str], start: int, problems: list[ParseProblem]
) -> list[PartnerAbbreviation]:
    """Parse the abbreviation list that ends the annex."""
    entries: list[PartnerAbbreviation] = []
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.strip()
        if line in ("", "-"):  # blank lines and an empty bullet left by page breaks
            continue
        url_line = ABBREVIATION_URL_LINE.match(line)
        entry = ABBREVIATION_ENTRY.match(line)
        if url_line and entries and not entries[-1].url and (url := _bracketed_url(url_line["url"])):
            entries[-1].url = url
        elif entry and (abbreviation := _abbreviation(entry["left"], entry["right"])):
            entries.append(abbreviation)
        else:
            problems.append(ParseProblem(number, raw, "not an abbreviation entry"))
    return entries


def _abbreviation(left: str, right: str) -> PartnerAbbreviation | None:
    """Read "ACRONYM = name (url)" or the reversed "(url) = name ACRONYM"; None if neither."""
    reversed_url = _bracketed_url(left)
    if reversed_url:
        acronym = TRAILING_ACRONYM.search(right)
        if acronym is None:
            return None
        return PartnerAbbreviation(acronym["acronym"], right[: acronym.start()].strip(), reversed_url)
    if not ACRONYM.match(left):
        return None
    url = BRACKETED_URL.search(right)
    if url is None:
        return PartnerAbbreviation(left, right, "")
    return PartnerAbbreviation(left, right[: url.start()].strip(), url["url"])


def _bracketed_url(text: str) -> str:
    """The address in "(www.x.org)" or "(<http://x.org>)", or "" when text is something else."""
    match = BRACKETED_URL.fullmatch(text.strip())
    return match["url"] if match else ""


def _join(old: str, new: str) -> str:
    """Append a continuation cell to a cell: the text runs on, within the last paragraph if any."""
    if not new:
        return old
    if not old:
        return new
    old = PARAGRAPH_END.sub("", old)
    separator = "" if HYPHENATED_END.search(old) else " "
    return f"{old}{separator}{new}"


def _clean(cell: str) -> str:
    """Drop footnote markers and collapse whitespace."""
    return _squash(SUPERSCRIPTS.sub(" ", cell))


def _strip_tags(cell: str) -> str:
    return _squash(PARAGRAPH_TAG.sub(" ", cell))


def _squash(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def _to_roman(value: int) -> str:
    result = ""
    for amount, numeral in ROMAN_NUMERALS:
        count, value = divmod(value, amount)
        result += numeral * count
    return result


def _from_roman(numeral: str) -> int:
    values = [ROMAN_VALUES[char] for char in numeral]
    # A numeral smaller than the one after it is subtracted (IV, IX, XL ...).
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
