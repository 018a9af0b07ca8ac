"""`check --deploy` finds nothing to warn about in a production configuration: HTTPS behind a
proxy, a real secret key, DEBUG off."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def test_the_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    environ = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "DJANGO_SETTINGS_MODULE": "clearinghouse.settings",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "clearinghouse.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-m", "clearinghouse", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
