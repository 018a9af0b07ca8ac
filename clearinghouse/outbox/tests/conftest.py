import pytest

from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies the common format's choice lists come from."""
    load_vocabularies(data_files())
