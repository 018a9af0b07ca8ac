"""Settings for the test suite: the production settings with fast, self-contained services."""

import tempfile
from pathlib import Path

from clearinghouse.settings import *  # noqa: F403
from clearinghouse.settings import HUEY, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "clearinghouse.publishing.tests.testapp"]

HUEY = HUEY | {"immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests don't run collectstatic: serve and resolve static files from the apps directly.
STORAGES = STORAGES | {  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="clearinghouse-imports-")},
    },
}
# Uploads and pictures' renditions (the demo draws some) go to a folder of the test run's own.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="clearinghouse-media-"))
# Built reports and offline packages too: a test that builds one sets a folder of its own.
REPORTS_ROOT = Path(tempfile.mkdtemp(prefix="clearinghouse-reports-"))
LEARNING_PACKAGE_ROOT = Path(tempfile.mkdtemp(prefix="clearinghouse-packages-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Publishing embeds records for matching: a word-hashing stand-in keeps every app's tests fast;
# the matching tests that measure meaning ask for the real model (matching/tests/conftest.py).
MATCHING_EMBEDDER = "clearinghouse.matching.embedders.HashingEmbedder"
# The suite and its schema fuzzing make many requests in a row; the throttle tests set low rates.
API_THROTTLE_RATES = {"anonymous": "100000/minute", "signed_in": "100000/minute"}
