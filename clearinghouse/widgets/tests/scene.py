"""Kenya's public records as national websites embed them, beside what they must never show:
a draft, a record of Tanzania's, an event that is over and confidential contact details.

Made through the services people use; the search index follows each publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.events import services as event_services
from clearinghouse.events.models import Event
from clearinghouse.events.tests import factories as events
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests import factories as learning
from clearinghouse.needs.models import Need
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.support import services as support_services
from clearinghouse.vocabularies.services import data_files, load_vocabularies

NEED_CONTACT = "awa.confidential@example.org"
EVENT_CONTACT = "training.confidential@example.org"
DRAFT_TITLE = "Draft workshop nobody may see yet"
TANZANIAN_TITLE = "Tanzanian marine spatial planning clinic"
PAST_TITLE = "Workshop that is already over"
TRANSLATED_TITLES = {
    "ar": "تدريب المدربين على الأنواع الغريبة الغازية",
    "fr": "Formation de formateurs sur les espèces exotiques envahissantes",
}


@dataclass(frozen=True)
class Scene:
    need: Need
    event: Event
    course: Course
    draft: Event
    tanzanian: Event
    past: Event


def build(world: World, capture: Any) -> Scene:
    load_vocabularies(data_files())
    now_year = datetime.now().year  # noqa: DTZ005  # wall-clock years, read in the event's zone
    with capture(execute=True):
        need = workflow.create(
            Need,
            actor=world.authorised_user,
            owner=world.kenya,
            values=invasive_species_need_values(
                "en",
                "Training customs officers on invasive species",
                "Border posts",
                contact_email=NEED_CONTACT,
            ),
        )
        workflow.submit(need, actor=world.authorised_user)
        workflow.publish(need, actor=world.focal_point)
        event = events.published(
            world,
            {
                "title": "Training of trainers on invasive alien species",
                "contact_email": EVENT_CONTACT,
                "subjects": events.terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
            },
        )
        for language, title in TRANSLATED_TITLES.items():
            publishing_services.translate(
                event,
                actor=world.authorised_user,
                language=language,
                texts={"title": title},
                base_revision=None,
                save=support_services.save_values,
            )
        event_services.submit(event, actor=world.authorised_user)
        event = workflow.publish(event, actor=world.focal_point)
        draft = events.draft(world, {"title": DRAFT_TITLE})
        tanzanian = events.published(
            world,
            {"title": TANZANIAN_TITLE, "city": "Dar es Salaam", "time_zone": "Africa/Dar_es_Salaam"},
            owner=world.tanzania,
            author=world.other_focal_point,
            reviewer=world.secretariat,
        )
        past = events.published(
            world,
            {
                "title": PAST_TITLE,
                "starts_at": datetime(now_year - 1, 3, 2, 9, 0),  # noqa: DTZ001
                "ends_at": datetime(now_year - 1, 3, 3, 17, 0),  # noqa: DTZ001
            },
        )
    course = learning.course(world)
    return Scene(need, event, course, draft, tanzanian, past)
