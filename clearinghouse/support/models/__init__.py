"""The support registry's record types (split by sub-domain; see each module)."""

from clearinghouse.support.models.common import SupportRecord
from clearinghouse.support.models.directory import (
    Availability,
    Counterpart,
    Expert,
    Partnership,
    PartnershipKind,
    Provider,
)
from clearinghouse.support.models.knowledge import (
    Initiative,
    InitiativeStatus,
    Resource,
    ResourceKind,
    ResourceVersion,
)
from clearinghouse.support.models.matching import (
    Offer,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    ValueKind,
)

# In the order pages and the API list them: what matchmaking uses first.
RECORD_MODELS: tuple[type[SupportRecord], ...] = (
    Offer,
    Opportunity,
    Initiative,
    Resource,
    Provider,
    Partnership,
    Expert,
)
BY_SLUG: dict[str, type[SupportRecord]] = {model.SLUG: model for model in RECORD_MODELS}

__all__ = [
    "BY_SLUG",
    "RECORD_MODELS",
    "Availability",
    "Counterpart",
    "Expert",
    "Initiative",
    "InitiativeStatus",
    "Offer",
    "Opportunity",
    "OpportunityKind",
    "OpportunityStatus",
    "Partnership",
    "PartnershipKind",
    "Provider",
    "Resource",
    "ResourceKind",
    "ResourceVersion",
    "SupportRecord",
    "ValueKind",
]
