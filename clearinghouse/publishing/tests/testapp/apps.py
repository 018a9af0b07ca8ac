from django.apps import AppConfig


class TestappConfig(AppConfig):
    """A record type that exists only in the test suite, to test the shared workflow alone."""

    name = "clearinghouse.publishing.tests.testapp"
    label = "publishing_testapp"

    def ready(self) -> None:
        from clearinghouse.publishing.tests.testapp import records  # noqa: F401
