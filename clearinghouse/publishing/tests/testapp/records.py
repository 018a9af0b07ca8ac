"""The test record type's one registration: searched by its title and summary."""

from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import RecordType, Searched
from clearinghouse.publishing.tests.testapp.models import Note

registry.register(RecordType(model=Note, search=Searched(texts=("summary",))))
