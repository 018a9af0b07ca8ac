import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearinghouse import env


def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [
        ("1", True),
        ("yes", True),
        ("On", True),
        ("0", False),
        ("false", False),
        ("", False),
    ]:
        monkeypatch.setenv("FLAG", raw)
        assert env.env_bool("FLAG", not expected) is expected


def test_a_misspelt_boolean_is_an_error_not_a_silent_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ValueError, match="DEBUG must be one of"):
        env.env_bool("DEBUG", False)


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_secret_key_is_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path / "var")
    assert len(first) >= 50
    assert env.secret_key(tmp_path / "var") == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert env.secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def _settings_value(name: str, environ: dict[str, str]) -> str:
    code = f"import clearinghouse.settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    base = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path)}
    assert _settings_value("DEBUG", base) == "False"
    assert _settings_value("DEBUG", base | {"DEBUG": "1"}) == "True"


def test_the_default_database_is_an_sqlite_file_under_var(tmp_path: Path) -> None:
    value = _settings_value(
        "DATABASES['default']['NAME']", {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path)}
    )
    assert value == str(tmp_path / "clearinghouse.sqlite3")
