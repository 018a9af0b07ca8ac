"""Demo people for `clearinghouse loaddemo`. Never loaded in production by anything else."""

from __future__ import annotations

from clearinghouse.accounts.models import User

DEMO_PASSWORD = "demo-clearinghouse-2026"  # noqa: S105 - printed on purpose by `make run`


def load() -> list[str]:
    """Create (or reset) the demo accounts; return lines that tell how to sign in."""
    secretariat, _created = User.objects.update_or_create(
        username="secretariat",
        defaults={
            "email": "secretariat@demo.clearinghouse.example",
            "first_name": "Amina",
            "last_name": "Haddad",
            "preferred_language": "ar",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    secretariat.set_password(DEMO_PASSWORD)
    secretariat.save(update_fields=["password"])
    return [f"Secretariat administrator: user name 'secretariat', password '{DEMO_PASSWORD}'"]
