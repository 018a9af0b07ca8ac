"""Seeded synthetic records for the search benchmark, in the six UN languages.

Each record draws its words from about seventy concepts of biodiversity capacity-building, each
written in the six languages; a few words are very common (as "biodiversity" is in a
biodiversity clearing-house) and most are rare (Zipf's law). Arabic text uses the spelling
variants people write: with and without hamza on alef, with vowel marks, with the conjunction
and prepositions attached. Facet values are real codes: ISO parties with their M49 regions and
groups, GBF targets, subjects and support types of the vocabularies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clearinghouse.search.documents import SearchDocument

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Share of records first written in each language.
LANGUAGE_WEIGHTS = (0.14, 0.1, 0.4, 0.14, 0.08, 0.14)

# (en, fr, es, ru, ar, zh); Arabic alternatives are separated by "|": the first is the plain
# spelling, the others are variants that people also write.
CONCEPTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("biodiversity", "biodiversité", "biodiversidad", "биоразнообразие", "التنوع البيولوجي", "生物多样性"),
    (
        "capacity-building",
        "renforcement des capacités",
        "creación de capacidad",
        "укрепление потенциала",
        "بناء القدرات",
        "能力建设",
    ),
    ("training", "formation", "capacitación", "обучение", "التدريب|التَّدْرِيب", "培训"),
    ("forests", "forêts", "bosques", "леса", "الغابات|الْغَابَاتُ|الغابة", "森林"),
    (
        "protected areas",
        "aires protégées",
        "áreas protegidas",
        "охраняемые территории",
        "المحميات|المناطق المحمية|محمية",
        "保护区",
    ),
    ("species", "espèces", "especies", "виды", "الأنواع|الانواع|أنواع", "物种"),
    ("conservation", "conservation", "conservación", "сохранение", "الحفظ|صون", "保护"),
    ("restoration", "restauration", "restauración", "восстановление", "الاستعادة|استعادة", "恢复"),
    (
        "ecosystems",
        "écosystèmes",
        "ecosistemas",
        "экосистемы",
        "النظم الإيكولوجية|النظم الايكولوجية",
        "生态系统",
    ),
    ("marine", "marin", "marino", "морской", "البحرية", "海洋"),
    ("coastal", "côtier", "costero", "прибрежный", "الساحلية", "沿海"),
    (
        "wetlands",
        "zones humides",
        "humedales",
        "водно-болотные угодья",
        "الأراضي الرطبة|الاراضي الرطبة",
        "湿地",
    ),
    (
        "invasive alien species",
        "espèces exotiques envahissantes",
        "especies exóticas invasoras",
        "инвазивные чужеродные виды",
        "الأنواع الغريبة الغازية",
        "外来入侵物种",
    ),
    ("monitoring", "suivi", "seguimiento", "мониторинг", "الرصد", "监测"),
    (
        "indigenous peoples",
        "peuples autochtones",
        "pueblos indígenas",
        "коренные народы",
        "الشعوب الأصلية|الشعوب الاصلية",
        "土著人民",
    ),
    (
        "local communities",
        "communautés locales",
        "comunidades locales",
        "местные общины",
        "المجتمعات المحلية",
        "地方社区",
    ),
    (
        "traditional knowledge",
        "connaissances traditionnelles",
        "conocimientos tradicionales",
        "традиционные знания",
        "المعارف التقليدية",
        "传统知识",
    ),
    ("women", "femmes", "mujeres", "женщины", "المرأة|النساء", "妇女"),
    ("youth", "jeunes", "jóvenes", "молодежь", "الشباب", "青年"),
    ("funding", "financement", "financiación", "финансирование", "التمويل", "资金"),
    (
        "technology transfer",
        "transfert de technologie",
        "transferencia de tecnología",
        "передача технологий",
        "نقل التكنولوجيا",
        "技术转让",
    ),
    ("data", "données", "datos", "данные", "البيانات", "数据"),
    ("taxonomy", "taxonomie", "taxonomía", "таксономия", "التصنيف", "分类学"),
    (
        "genetic resources",
        "ressources génétiques",
        "recursos genéticos",
        "генетические ресурсы",
        "الموارد الجينية",
        "遗传资源",
    ),
    (
        "access and benefit-sharing",
        "accès et partage des avantages",
        "acceso y participación en los beneficios",
        "доступ и совместное использование выгод",
        "الحصول وتقاسم المنافع",
        "获取和惠益分享",
    ),
    (
        "biosafety",
        "biosécurité",
        "seguridad de la biotecnología",
        "биобезопасность",
        "السلامة الأحيائية|السلامة الاحيائية",
        "生物安全",
    ),
    (
        "climate change",
        "changements climatiques",
        "cambio climático",
        "изменение климата",
        "تغير المناخ",
        "气候变化",
    ),
    ("pollution", "pollution", "contaminación", "загрязнение", "التلوث", "污染"),
    ("agriculture", "agriculture", "agricultura", "сельское хозяйство", "الزراعة", "农业"),
    ("fisheries", "pêches", "pesca", "рыболовство", "مصايد الأسماك|مصائد الاسماك", "渔业"),
    ("water", "eau", "agua", "вода", "المياه", "水"),
    ("soil", "sols", "suelos", "почвы", "التربة", "土壤"),
    ("pollinators", "pollinisateurs", "polinizadores", "опылители", "الملقحات", "传粉媒介"),
    (
        "wildlife trade",
        "commerce des espèces sauvages",
        "comercio de vida silvestre",
        "торговля дикими видами",
        "الاتجار بالأحياء البرية",
        "野生动物贸易",
    ),
    (
        "spatial planning",
        "planification spatiale",
        "planificación espacial",
        "территориальное планирование",
        "التخطيط المكاني",
        "空间规划",
    ),
    (
        "national strategy",
        "stratégie nationale",
        "estrategia nacional",
        "национальная стратегия",
        "الاستراتيجية الوطنية",
        "国家战略",
    ),
    ("action plan", "plan d'action", "plan de acción", "план действий", "خطة العمل", "行动计划"),
    ("reporting", "rapports", "presentación de informes", "отчетность", "الإبلاغ|الابلاغ", "报告"),
    ("indicators", "indicateurs", "indicadores", "показатели", "المؤشرات", "指标"),
    ("workshop", "atelier", "taller", "семинар", "حلقة عمل|ورشة عمل", "讲习班"),
    ("course", "cours", "curso", "курс", "دورة تدريبية", "课程"),
    ("fellowship", "bourse", "beca", "стипендия", "زمالة", "研究金"),
    ("expertise", "expertise", "conocimientos especializados", "экспертные знания", "الخبرة", "专门知识"),
    ("institutions", "institutions", "instituciones", "учреждения", "المؤسسات", "机构"),
    ("universities", "universités", "universidades", "университеты", "الجامعات", "大学"),
    ("government", "gouvernement", "gobierno", "правительство", "الحكومة", "政府"),
    ("policy", "politique", "política", "политика", "السياسات", "政策"),
    ("legislation", "législation", "legislación", "законодательство", "التشريعات", "立法"),
    ("mainstreaming", "intégration", "integración", "актуализация", "تعميم مراعاة", "主流化"),
    (
        "sustainable use",
        "utilisation durable",
        "utilización sostenible",
        "устойчивое использование",
        "الاستخدام المستدام",
        "可持续利用",
    ),
    ("urban", "urbain", "urbano", "городской", "الحضرية", "城市"),
    ("mountains", "montagnes", "montañas", "горы", "الجبال", "山区"),
    ("islands", "îles", "islas", "острова", "الجزر", "岛屿"),
    (
        "coral reefs",
        "récifs coralliens",
        "arrecifes de coral",
        "коралловые рифы",
        "الشعاب المرجانية",
        "珊瑚礁",
    ),
    ("mangroves", "mangroves", "manglares", "мангровые заросли", "أشجار المانغروف|اشجار المانغروف", "红树林"),
    ("drylands", "terres arides", "tierras secas", "засушливые земли", "الأراضي الجافة", "旱地"),
    ("health", "santé", "salud", "здоровье", "الصحة", "健康"),
    ("education", "éducation", "educación", "образование", "التعليم", "教育"),
    (
        "public awareness",
        "sensibilisation du public",
        "conciencia pública",
        "осведомленность общественности",
        "التوعية العامة",
        "公众意识",
    ),
    ("gender", "genre", "género", "гендер", "النوع الاجتماعي", "性别"),
    ("finance", "finances", "finanzas", "финансы", "المالية", "财务"),
    ("business", "entreprises", "empresas", "бизнес", "الأعمال التجارية", "企业"),
    ("laboratory", "laboratoire", "laboratorio", "лаборатория", "المختبر", "实验室"),
    ("mapping", "cartographie", "cartografía", "картирование", "رسم الخرائط", "制图"),
    (
        "remote sensing",
        "télédétection",
        "teledetección",
        "дистанционное зондирование",
        "الاستشعار عن بعد",
        "遥感",
    ),
    ("ecotourism", "écotourisme", "ecoturismo", "экотуризм", "السياحة البيئية", "生态旅游"),
    ("seeds", "semences", "semillas", "семена", "البذور", "种子"),
    ("rangelands", "parcours", "pastizales", "пастбища", "المراعي", "牧场"),
    ("environment", "environnement", "medio ambiente", "окружающая среда", "البيئة|بيئة", "环境"),
    ("project", "projet", "proyecto", "проект", "المشروع|مشروع", "项目"),
)
# Glue words between concepts, so texts have function words as real ones do.
GLUE = {
    "en": ("and", "for", "of", "in", "with", "the", "to", "support", "need", "national", "regional"),
    "fr": ("et", "pour", "de la", "des", "dans", "avec", "le", "appui", "besoin", "national", "régional"),
    "es": ("y", "para", "de la", "de los", "en", "con", "el", "apoyo", "necesidad", "nacional", "regional"),
    "ru": ("и", "для", "в", "с", "по", "поддержка", "потребность", "национальный", "региональный"),
    "ar": ("و", "في", "من", "على", "دعم", "حاجة", "الوطنية", "الإقليمية|الاقليمية", "مع"),
    "zh": ("和", "的", "在", "支持", "需求", "国家", "区域"),
}
_COLUMN = {"en": 0, "fr": 1, "es": 2, "ru": 3, "ar": 4, "zh": 5}

RECORD_TYPES = ("need", "request", "offer", "resource", "event", "course", "expert", "initiative")
RECORD_TYPE_WEIGHTS = (0.25, 0.1, 0.2, 0.2, 0.1, 0.08, 0.04, 0.03)
SUPPORT_TYPES = (
    "training",
    "expertise",
    "technology",
    "funding",
    "fellowship",
    "data_tools",
    "institutional",
)
STATUSES = ("open", "closed", "in_progress", "fulfilled")
TARGETS = tuple(f"GBF-T{number}" for number in range(1, 24))
SUBJECTS = [
    "SUBJ-CONSERVATION-RESTORATION",
    "SUBJ-PROTECTED-AREAS",
    "SUBJ-RESTORATION",
    "SUBJ-SPECIES-CONSERVATION",
    "SUBJ-SPATIAL-PLANNING",
    "SUBJ-ECOSYSTEMS",
    "SUBJ-MARINE-COASTAL",
    "SUBJ-INLAND-WATERS",
    "SUBJ-FORESTS",
    "SUBJ-AGRICULTURAL-BIODIVERSITY",
    "SUBJ-URBAN-BIODIVERSITY",
    "SUBJ-INVASIVE-ALIEN-SPECIES",
    "SUBJ-POLLUTION",
    "SUBJ-CLIMATE-CHANGE",
    "SUBJ-WILDLIFE-TRADE",
    "SUBJ-SUSTAINABLE-USE",
    "SUBJ-ABS",
    "SUBJ-TRADITIONAL-KNOWLEDGE",
    "SUBJ-BIOSAFETY",
    "SUBJ-FINANCE",
    "SUBJ-TAXONOMY",
    "SUBJ-DATA-INFORMATION",
    "SUBJ-TECHNOLOGY-TRANSFER",
    "SUBJ-IPLC",
    "SUBJ-GENDER",
    "SUBJ-YOUTH",
    "SUBJ-CEPA",
    "SUBJ-NBSAP-REPORTING",
]
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_DAYS = 4000

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "clearinghouse" / "geo" / "data" / "countries.json"


def _countries() -> list[tuple[str, list[str], list[str]]]:
    """(ISO code, M49 regions, groups) of every Party."""
    data = json.loads(COUNTRIES_FILE.read_text())
    parties = []
    for country in data["countries"]:
        if not country["cbd_party"]:
            continue
        regions = [country[key] for key in ("region", "subregion", "intermediate_region") if country[key]]
        groups = [
            code
            for code, flag in (
                ("LDC", "ldc"),
                ("SIDS", "sids"),
                ("Arab States", "arab_league"),
                ("developing", "developing"),
                ("EIT", "economy_in_transition"),
            )
            if country[flag]
        ]
        parties.append((country["code"], regions, groups))
    return parties


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


class Generator:
    """Seeded: the same seed gives the same records and the same queries."""

    def __init__(self, seed: int = 2026) -> None:
        self.random = random.Random(seed)
        self.parties = _countries()
        self.concept_weights = zipf_weights(len(CONCEPTS), 0.9)

    def word(self, concept: int, language: str) -> str:
        """A concept in a language; in Arabic one of the spellings people write."""
        text = CONCEPTS[concept][_COLUMN[language]]
        forms = text.split("|")
        if language == "ar":
            form = self.random.choices(forms, weights=[4, *([1] * (len(forms) - 1))])[0]
            if self.random.random() < 0.15:
                form = self.random.choice(("و", "ب", "ل")) + form  # attached conjunction/preposition
            return form
        return forms[0]

    def glue(self, language: str) -> str:
        return self.random.choice(GLUE[language]).split("|")[0]

    def phrase(self, language: str, concepts: int) -> str:
        chosen = self.random.choices(range(len(CONCEPTS)), weights=self.concept_weights, k=concepts)
        parts: list[str] = []
        for index, concept in enumerate(chosen):
            if index and self.random.random() < 0.6:
                parts.append(self.glue(language))
            parts.append(self.word(concept, language))
        if language == "zh":
            return "".join(parts)
        return " ".join(parts)

    def text(self, language: str) -> str:
        sentences = [
            self.phrase(language, self.random.randint(4, 9)) for _ in range(self.random.randint(2, 5))
        ]
        stop = "。" if language == "zh" else ". "
        return stop.join(sentences) + stop.strip()

    def document(self, number: int) -> SearchDocument:
        language = self.random.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        record_type = self.random.choices(RECORD_TYPES, weights=RECORD_TYPE_WEIGHTS)[0]
        party, regions, groups = self.random.choice(self.parties)
        title_concepts = self.random.randint(2, 4)
        translations = [language]
        if language != "en" and self.random.random() < 0.6:
            translations.append("en")
        if self.random.random() < 0.2:
            translations.append(self.random.choice([code for code in LANGUAGES if code not in translations]))
        titles = {code: self.phrase(code, title_concepts) for code in translations}
        texts = {language: self.text(language)}
        if len(translations) > 1 and self.random.random() < 0.3:
            texts[translations[1]] = self.text(translations[1])
        facets = {
            "party": [party],
            "region": regions,
            "group": groups,
            "target": sorted(self.random.sample(TARGETS, self.random.randint(1, 3))),
            "subject": sorted(self.random.sample(SUBJECTS, self.random.randint(1, 3))),
            "support_type": sorted(self.random.sample(SUPPORT_TYPES, self.random.randint(1, 2))),
            "status": [self.random.choice(STATUSES)],
            "language": sorted(translations),
        }
        published = START + timedelta(seconds=self.random.randint(0, SPAN_DAYS * 86400))
        return SearchDocument(
            key=f"CB-{record_type.upper()}-{party}-{number:07d}",
            record_type=record_type,
            language=language,
            titles=titles,
            texts=texts,
            facets=facets,
            published_at=published,
            url=f"/records/{number}/",
        )

    def documents(self, count: int) -> Iterator[SearchDocument]:
        for number in range(count):
            yield self.document(number)

    def query_text(self) -> str:
        """One to three words a reader might type, in any language and spelling."""
        language = self.random.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        concepts = self.random.choices(
            range(len(CONCEPTS)), weights=self.concept_weights, k=self.random.randint(1, 2)
        )
        words = [self.word(concept, language) for concept in concepts]
        if language == "ar" and self.random.random() < 0.3:
            words = [self.vocalise(word) for word in words]
        text = "".join(words) if language == "zh" else " ".join(words)
        if language in ("en", "fr", "es") and " " in text and self.random.random() < 0.15:
            text = f'"{text}"'
        return text

    def vocalise(self, word: str) -> str:
        """Arabic with vowel marks, as in a text copied from a vocalised source."""
        marks = ("\u064e", "\u064f", "\u0650", "\u0652", "\u0651\u064e")
        return "".join(
            letter
            + (
                self.random.choice(marks)
                if "\u0621" <= letter <= "\u064a" and self.random.random() < 0.6
                else ""
            )
            for letter in word
        )

    def query_filters(self) -> dict[str, list[str]]:
        party, regions, groups = self.random.choice(self.parties)
        options: list[tuple[str, list[str]]] = [
            ("record_type", [self.random.choices(RECORD_TYPES, weights=RECORD_TYPE_WEIGHTS)[0]]),
            ("region", [self.random.choice(regions)]),
            ("target", [self.random.choice(TARGETS)]),
            ("subject", [self.random.choice(SUBJECTS)]),
            ("support_type", [self.random.choice(SUPPORT_TYPES)]),
            ("status", ["open"]),
            ("language", [self.random.choice(LANGUAGES)]),
            ("party", [party]),
        ]
        if groups:
            options.append(("group", [self.random.choice(groups)]))
        chosen = self.random.sample(options, self.random.randint(1, 2))
        return dict(chosen)
