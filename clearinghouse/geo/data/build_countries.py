#!/usr/bin/env python3
"""Generate countries.json from pycountry and the hand-checked fact lists in this file.

Babel ships no CLDR territory containment, so the UN M49 areas are embedded below; every other
fact is a set of ISO 3166-1 alpha-2 codes. README.md beside this file gives the source and the
date of each list. Country names are not stored: the app takes them from Babel/CLDR.

    python clearinghouse/geo/data/build_countries.py          # rewrite countries.json
    python clearinghouse/geo/data/build_countries.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pycountry

OUTPUT = Path(__file__).with_name("countries.json")
# The day this file was last reviewed; README.md says how current each list is.
DATE = "2026-11-25"


def codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- UN membership -------------------------------------------------------------------------------

# The 193 UN Member States (same set as CLDR's "UN" territory group).
UN_MEMBERS = codes("""
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD
CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA
GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI
KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU
MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA
SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA
UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
""")

# --- UN M49 geographic regions (UNSD overview table, download of September 2024) -----------------

# Each area and the area that contains it; the top level (001 World) is left out.
M49_PARENT = {
    "002": None, "009": None, "019": None, "142": None, "150": None,
    "015": "002", "202": "002", "011": "202", "014": "202", "017": "202", "018": "202",
    "021": "019", "419": "019", "005": "419", "013": "419", "029": "419",
    "030": "142", "034": "142", "035": "142", "143": "142", "145": "142",
    "039": "150", "151": "150", "154": "150", "155": "150",
    "053": "009", "054": "009", "057": "009", "061": "009",
}  # fmt: skip

# The smallest M49 area of each country or area. Antarctica (AQ) is in no region in M49, and
# M49 does not list Taiwan (TW) separately; both are left without a region.
M49_LEAF = {
    "005": codes("AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE"),
    "011": codes("BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"),
    "013": codes("BZ CR GT HN MX NI PA SV"),
    "014": codes("BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW"),
    "015": codes("DZ EG EH LY MA SD TN"),
    "017": codes("AO CD CF CG CM GA GQ ST TD"),
    "018": codes("BW LS NA SZ ZA"),
    "021": codes("BM CA GL PM US"),
    "029": codes("AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"),
    "030": codes("CN HK JP KP KR MN MO"),
    "034": codes("AF BD BT IN IR LK MV NP PK"),
    "035": codes("BN ID KH LA MM MY PH SG TH TL VN"),
    "039": codes("AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA"),
    "053": codes("AU CC CX HM NF NZ"),
    "054": codes("FJ NC PG SB VU"),
    "057": codes("FM GU KI MH MP NR PW UM"),
    "061": codes("AS CK NU PF PN TK TO TV WF WS"),
    "143": codes("KG KZ TJ TM UZ"),
    "145": codes("AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE"),
    "151": codes("BG BY CZ HU MD PL RO RU SK UA"),
    "154": codes("AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ"),
    "155": codes("AT BE CH DE FR LI LU MC NL"),
}

# --- Parties to the Convention and its Protocols -----------------------------------------------

# 195 States: every UN Member State except the United States, plus three non-members.
CBD_PARTIES = (UN_MEMBERS - {"US"}) | codes("CK NU PS")

# 172 States. UN Member States outside the Protocol (Cook Islands is outside too).
CARTAGENA_NON_PARTIES_UN = codes("""
AD AR AU BN CA CL FM GQ HT IL IS LI MC NP RU SG SL SM SS ST TV US VU
""")
CARTAGENA_PARTIES = (UN_MEMBERS - CARTAGENA_NON_PARTIES_UN) | codes("NU PS")

# Listed rather than derived, as some 60 CBD Parties are outside it; the status of several small
# States is the least certain fact in this file (see README.md).
NAGOYA_PARTIES = codes("""
AO BJ BW BF BI CM CF TD KM CG CI CD DJ EG ER SZ ET GA GM GH GN GW KE LS LR MG MW ML MR MU
MA MZ NA NE NG RW ST SN SC SL ZA SD TG UG ZM ZW
AF BH BD BT KH CN KP FJ IN ID JP JO KZ KW KG LA MY MH FM MN MM NP OM PK PH QA KR WS SA
SY TJ TH TO TV AE UZ VU VN
AL BY BG HR CZ EE HU LV LT ME MK PL MD RO RS SK UA
AG AR BS BO BR CU DO EC GD GT GY HN MX PA PE KN UY
AD AT BE DK FI FR DE GR LI LU MT NL NO PT ES SE CH GB
""")

# The European Union is a Party to all three as a regional economic integration organisation.
ORGANISATIONS_PARTY = [{"code": "EU", "cbd_party": True, "cartagena_party": True, "nagoya_party": True}]

# --- UN regional groups (the five used to elect the Convention's bureau) -----------------------

REGIONAL_GROUPS = {
    "Africa": codes("""
        DZ AO BJ BW BF BI CV CM CF TD KM CG CI CD DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR
        LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TG TN UG TZ ZM ZW
    """),
    # Kiribati sits here; Cyprus too. Palestine, Cook Islands and Niue are CBD Parties that
    # take part through this group.
    "Asia-Pacific": codes("""
        AF BH BD BT BN KH CN CY KP FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM
        NR NP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE PS CK NU
    """),
    "Eastern Europe": codes("""
        AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MK PL MD RO RU RS SK SI UA
    """),
    "Latin America and Caribbean": codes("""
        AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC
        SR TT UY VE
    """),
    # Israel and Türkiye (also an Asia-Pacific participant) count here for elections; the United
    # States is an observer counted here for elections.
    "Western Europe and Others": codes("""
        AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB US
    """),
}

# --- Other groups --------------------------------------------------------------------------------

# League of Arab States: 22 members (Syria included, its suspension having been lifted in 2023).
ARAB_LEAGUE = codes("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE")

# UN list of least developed countries after the graduations of Bhutan (13 Dec 2023) and
# Sao Tome and Principe (13 Dec 2024); Solomon Islands' graduation was deferred to Dec 2027.
LDC = codes("""
AO BJ BF BI CF TD KM CD DJ ER ET GM GN GW LS LR MG MW ML MR MZ NE RW SN SL SO SS SD TG UG
TZ ZM
AF BD KH LA MM NP TL YE
KI SB TV
HT
""")

# UN-OHRLLS list of small island developing States: 37 UN Member States, Cook Islands and Niue,
# and 18 associate members of UN regional commissions.
SIDS = codes("""
AG BS BB BZ CU DM DO GD GY HT JM KN LC VC SR TT
FJ KI MH FM NR PW PG WS SB TL TO TV VU
CV KM GW MV MU ST SC SG
CK NU
AI AW BM VG KY CW GP MQ MS PR SX TC VI
AS GU MP NC PF
""")

# UN World Economic Situation and Prospects (WESP) country classification.
ECONOMIES_IN_TRANSITION = codes("AL BA ME MK RS AM AZ BY GE KZ KG MD RU TJ TM UA UZ")
WESP_DEVELOPED = codes("""
AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE
IS NO CH GB CA US AU JP NZ
""")
# WESP leaves out the European microstates; they are counted with developed Europe.
DEVELOPED = WESP_DEVELOPED | codes("AD LI MC SM VA")
# The States the classification is applied to; other entries (territories) are not developing.
CLASSIFIED_STATES = UN_MEMBERS | codes("CK NU PS VA")
DEVELOPING = CLASSIFIED_STATES - DEVELOPED - ECONOMIES_IN_TRANSITION


# --- Assembly ------------------------------------------------------------------------------------


M49_LEVELS = ("region", "subregion", "intermediate")


def m49_ancestors(area: str) -> list[str]:
    """The areas containing an M49 area, largest first."""
    ancestors: list[str] = []
    parent = M49_PARENT[area]
    while parent is not None:
        ancestors.insert(0, parent)
        parent = M49_PARENT[parent]
    return ancestors


def m49_chain(code: str) -> list[str]:
    """The M49 areas holding a country, largest first (empty when it has none)."""
    leaves = [area for area, members in M49_LEAF.items() if code in members]
    return [*m49_ancestors(leaves[0]), leaves[0]] if leaves else []


def regional_group(code: str) -> str | None:
    groups = [name for name, members in REGIONAL_GROUPS.items() if code in members]
    return groups[0] if groups else None


def check(iso: set[str]) -> None:
    """Refuse to build from lists that disagree with each other or with pycountry."""
    problems: list[str] = []
    lists = {
        "UN_MEMBERS": UN_MEMBERS,
        "CBD_PARTIES": CBD_PARTIES,
        "CARTAGENA_PARTIES": CARTAGENA_PARTIES,
        "NAGOYA_PARTIES": NAGOYA_PARTIES,
        "ARAB_LEAGUE": ARAB_LEAGUE,
        "LDC": LDC,
        "SIDS": SIDS,
        "ECONOMIES_IN_TRANSITION": ECONOMIES_IN_TRANSITION,
        "DEVELOPED": DEVELOPED,
        **{f"M49 {area}": members for area, members in M49_LEAF.items()},
        **{f"group {name}": members for name, members in REGIONAL_GROUPS.items()},
    }
    for name, members in lists.items():
        if unknown := sorted(members - iso):
            problems.append(f"{name}: not in pycountry: {unknown}")
    leaf_members = [code for members in M49_LEAF.values() for code in members]
    if len(leaf_members) != len(set(leaf_members)):
        problems.append("a code is in two M49 areas")
    group_members = [code for members in REGIONAL_GROUPS.values() for code in members]
    if len(group_members) != len(set(group_members)):
        problems.append("a code is in two regional groups")
    if missing := sorted(CBD_PARTIES - set(group_members)):
        problems.append(f"CBD Parties without a regional group: {missing}")
    for name, members in (("Cartagena", CARTAGENA_PARTIES), ("Nagoya", NAGOYA_PARTIES)):
        if outside := sorted(members - CBD_PARTIES):
            problems.append(f"{name} Parties that are not CBD Parties: {outside}")
    if overlap := sorted(DEVELOPED & ECONOMIES_IN_TRANSITION):
        problems.append(f"both developed and in transition: {overlap}")
    if not LDC <= DEVELOPING:
        problems.append(f"LDCs not developing: {sorted(LDC - DEVELOPING)}")
    if problems:
        raise ValueError("; ".join(problems))


def build() -> dict[str, Any]:
    iso = {country.alpha_2: country for country in pycountry.countries}
    check(set(iso))
    countries = []
    for code in sorted(iso):
        chain = m49_chain(code)
        countries.append(
            {
                "code": code,
                # ISO 3166-1 numeric codes are M49 codes (Taiwan's 158 is ISO only).
                "m49": iso[code].numeric,
                "region": chain[0] if chain else None,
                "subregion": chain[1] if len(chain) > 1 else None,
                "intermediate_region": chain[2] if len(chain) > 2 else None,
                "un_regional_group": regional_group(code),
                "cbd_party": code in CBD_PARTIES,
                "cartagena_party": code in CARTAGENA_PARTIES,
                "nagoya_party": code in NAGOYA_PARTIES,
                "arab_league": code in ARAB_LEAGUE,
                "developing": code in DEVELOPING,
                "ldc": code in LDC,
                "sids": code in SIDS,
                "economy_in_transition": code in ECONOMIES_IN_TRANSITION,
            }
        )
    areas = [
        {"code": area, "level": M49_LEVELS[len(m49_ancestors(area))], "parent": parent}
        for area, parent in sorted(M49_PARENT.items())
    ]
    return {
        "source": (
            "ISO 3166-1 entries from pycountry; UN M49 areas from the UNSD M49 overview; Parties from "
            "the depositary and Secretariat lists; UN regional groups, League of Arab States, UN LDC "
            "list, UN-OHRLLS SIDS list and UN WESP classification as detailed in README.md"
        ),
        "date": DATE,
        "notes": (
            "Generated by build_countries.py; edit the lists there, not this file. Names are not "
            "stored: take them from Babel/CLDR. 'developing' is true for States that the UN WESP "
            "classification (extended to Cook Islands, Niue and the State of Palestine) treats as "
            "developing and false for developed States, economies in transition and territories. "
            "un_regional_group is null for territories and for the Holy See. Party lists are "
            "reconstructed without access to the live registers: check README.md before relying "
            "on a single country's Protocol status."
        ),
        "m49_areas": areas,
        "countries": countries,
        "organisations_party": ORGANISATIONS_PARTY,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if countries.json is out of date")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{OUTPUT} is out of date: run {Path(__file__).name}\n")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
