"""Settings of the deployments the backup tests make in child processes: the production
settings (read from the environment: DATABASE_URL, VAR_DIR, MEDIA_ROOT, ...) with the suite's
fast stand-ins."""

from clearinghouse.settings import *  # noqa: F403
from clearinghouse.settings import HUEY

HUEY = HUEY | {"immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MATCHING_EMBEDDER = "clearinghouse.matching.embedders.HashingEmbedder"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
