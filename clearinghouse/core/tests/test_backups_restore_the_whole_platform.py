"""`clearinghouse backup` and `clearinghouse restore` give a new deployment back everything a
site holds: its records (counted model by model), its files (byte for byte) and a search that
finds its records. A damaged or foreign backup, or a deployment that holds data already, is
refused with a reason, before anything is written.

The deployments are real: SQLite files with their own VAR_DIR (and the built reports and
offline packages in folders beside it, as on shared storage), run by the `clearinghouse`
command in child processes, as an operator runs it. Migrating a database takes about a minute:
the SQLite deployments start from a copy of the suite's own migrated test database instead. On
PostgreSQL (the suite's second run), the suite's test database is backed up and restored into a
database of the test's own."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clearinghouse.core.tests.backup_site import fill

# The deployments start from a copy of the suite's test database, which pytest-django creates
# only for a session that has a test marked so.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PG_SERVER = os.environ.get("BACKUP_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432")
TITLE = "Field guide to invasive plants of East Africa"


@dataclass(frozen=True)
class Site:
    """A deployment: its database, its VAR_DIR (uploads, imports and keys beneath it) and the
    built files outside it (REPORTS_ROOT, LEARNING_PACKAGE_ROOT), as several hosts share them."""

    root: Path
    database_url: str

    @property
    def var(self) -> Path:
        return self.root / "var"

    @property
    def reports(self) -> Path:
        return self.root / "shared" / "reports"

    @property
    def packages(self) -> Path:
        return self.root / "shared" / "packages"

    def environment(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "SECRET_KEY", "IMPORT_UPLOAD_ROOT", "SCORM_ROOT", "STATIC_ROOT"}
        }
        return environment | {
            "DJANGO_SETTINGS_MODULE": "clearinghouse.core.tests.backup_settings",
            "DATABASE_URL": self.database_url,
            "VAR_DIR": str(self.var),
            "MEDIA_ROOT": str(self.var / "media"),
            "REPORTS_ROOT": str(self.reports),
            "LEARNING_PACKAGE_ROOT": str(self.packages),
        }

    def start(self, *arguments: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", *arguments],
            env=self.environment(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """``clearinghouse <arguments>`` in this deployment."""
        return _finished(self.start("clearinghouse", *arguments))

    def site(self, *arguments: str) -> Any:
        """What backup_site.py answers in this deployment (the JSON of its last line)."""
        done = _finished(self.start("clearinghouse.core.tests.backup_site", *arguments))
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


def _finished(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _sqlite_site(root: Path, database: Path | None = None) -> Site:
    root.mkdir(parents=True)
    if database is not None:
        shutil.copyfile(database, root / "db.sqlite3")
    return Site(root, f"sqlite:///{root / 'db.sqlite3'}")


def _postgres(statement: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as server:
            server.execute(statement)
    except psycopg.OperationalError:
        return False
    return True


def _postgres_rows(url: str, *tables: str) -> tuple[int, ...]:
    import psycopg

    with psycopg.connect(url) as database:
        return tuple(
            database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608  # our tables
            for table in tables
        )


@pytest.fixture(scope="module")
def migrated(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with every migration applied and no data: the suite's test database, copied
    (or, when the suite runs on PostgreSQL, migrated in a child process)."""
    root = tmp_path_factory.mktemp("migrated")
    if connection.vendor != "sqlite" or "mode=memory" not in str(connection.settings_dict["NAME"]):
        site = _sqlite_site(root / "site")
        done = site.run("migrate", "--no-input", "--verbosity", "0")
        assert done.returncode == 0, done.stderr
        return site.root / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(root / "db.sqlite3")
        with copy:
            connection.connection.backup(copy)
        copy.close()
    return root / "db.sqlite3"


@pytest.fixture(scope="module")
def source(migrated: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, dict[str, str]]:
    """A deployment with people, a published resource with its file and an import waiting."""
    site = _sqlite_site(tmp_path_factory.mktemp("source") / "site", migrated)
    return site, site.site("fill")


@pytest.fixture(scope="module")
def backup(source: tuple[Site, dict[str, str]]) -> Path:
    site, _facts = source
    done = site.run("backup", str(site.root.parent / "backups"))
    assert done.returncode == 0, done.stderr
    (made,) = (site.root.parent / "backups").iterdir()
    assert f"Backup written to {made}" in done.stdout
    return made


@pytest.fixture
def copy_of_backup(backup: Path, tmp_path: Path) -> Path:
    copied = tmp_path / "backup"
    shutil.copytree(backup, copied)
    return copied


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(database: Path) -> dict[str, int]:
    """Rows per table, read by SQLite itself; the search index's own tables are left out (the
    restore rebuilds them)."""
    with sqlite3.connect(database) as opened:
        tables = [
            name
            for (name,) in opened.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(("sqlite_", "search_fts"))
        ]
        return {
            table: opened.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # its own tables
            for table in tables
        }


def _kept_files(site: Site) -> dict[str, str]:
    """The SHA-256 of every file a deployment keeps (the derived matching caches and offline
    packages aside); the built reports' under "reports/"."""
    var = {
        str(path.relative_to(site.var)): _sha256(path)
        for path in sorted(site.var.rglob("*"))
        if path.is_file() and path.relative_to(site.var).parts[0] not in {"matching", "jobs.sqlite3"}
    }
    reports = {
        f"reports/{path.relative_to(site.reports)}": _sha256(path)
        for path in sorted(site.reports.rglob("*"))
        if path.is_file()
    }
    return var | reports


@pytest.mark.single_run
def test_a_backup_restored_onto_a_new_deployment_gives_back_its_records_files_and_search(
    source: tuple[Site, dict[str, str]], backup: Path, tmp_path: Path
) -> None:
    site, facts = source
    # A new deployment: not even migrated.
    target = _sqlite_site(tmp_path / "target")

    done = target.run("restore", str(backup))

    assert done.returncode == 0, done.stderr
    assert "as in the backup's manifest" in done.stdout
    restored_rows = _rows(target.root / "db.sqlite3")
    assert restored_rows == _rows(site.root / "db.sqlite3")
    # The world's ten people and the resource did come across (not two empty databases alike).
    assert restored_rows["accounts_user"] == 10 and restored_rows["support_resource"] == 1
    kept = _kept_files(target)
    assert kept == _kept_files(site)
    assert {f"media/{facts['file']}", f"private/imports/{facts['import']}", "secret_key"} <= set(kept)
    # The built report came back into REPORTS_ROOT, outside VAR_DIR; the offline package, which
    # is built again on its first download, did not.
    assert f"reports/{facts['report']}" in kept
    assert (site.packages / facts["package"]).is_file() and not target.packages.exists()
    # The search index answers in the restored deployment (rebuilt there, from the records).
    assert target.site("search", "invasive plants") == [TITLE]


@pytest.mark.single_run
def test_the_manifest_lists_every_file_with_its_checksum_and_what_is_left_to_rebuild(
    source: tuple[Site, dict[str, str]], backup: Path
) -> None:
    site, facts = source
    manifest = json.loads((backup / "manifest.json").read_text())

    assert manifest["format"] == 1
    assert manifest["database"] == {"vendor": "sqlite", "file": "database.sqlite3"}
    assert manifest["code_version"] and manifest["created_at"]
    assert manifest["migrations"]["accounts"] and manifest["migrations"]["support"]
    assert manifest["records"]["accounts.User"] == {"table": "accounts_user", "rows": 10}
    listed = {entry["path"]: entry for entry in manifest["files"]}
    upload = site.var / "media" / facts["file"]
    assert listed[f"media/{facts['file']}"] == {
        "path": f"media/{facts['file']}",
        "size": upload.stat().st_size,
        "sha256": _sha256(upload),
    }
    assert listed["database.sqlite3"]["sha256"] == _sha256(backup / "database.sqlite3")
    # The matching caches are derived: rebuilt, not copied.
    assert manifest["derived"]["matching-caches"]["rebuilt_by"] == "clearinghouse rebuildmatching --sync"
    assert (site.var / "matching").is_dir() and not any(path.startswith("matching") for path in listed)
    # Built reports come from REPORTS_ROOT; offline packages are derived.
    report = site.reports / facts["report"]
    assert listed[f"reports/{facts['report']}"]["sha256"] == _sha256(report)
    assert "offline-packages" in manifest["derived"]
    assert not any(entry["sha256"] == _sha256(site.packages / facts["package"]) for entry in listed.values())
    # A backup holds personal data and keys: readable by the platform's account only.
    assert backup.stat().st_mode & 0o077 == 0
    assert (backup / "database.sqlite3").stat().st_mode & 0o077 == 0


@pytest.mark.single_run
def test_a_deployment_that_holds_data_is_replaced_only_when_forced(
    source: tuple[Site, dict[str, str]], backup: Path, tmp_path: Path
) -> None:
    site, _facts = source
    target = _sqlite_site(tmp_path / "target", site.root / "db.sqlite3")
    shutil.copytree(site.var, target.var)
    stray = target.var / "media" / "stray.txt"
    stray.write_text("uploaded after the backup")

    refused = target.run("restore", str(backup))

    assert refused.returncode != 0
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    assert stray.exists()

    forced = target.run("restore", "--force", str(backup))

    assert forced.returncode == 0, forced.stderr
    # A restore puts the files back as they were backed up.
    assert not stray.exists()
    assert _kept_files(target) == _kept_files(site)


# The refusals below run in this process: each stops before anything is written (on SQLite,
# a restore would refuse the suite's in-memory database anyway).


@pytest.mark.single_run
def test_a_file_changed_in_the_backup_is_named_and_nothing_is_restored(copy_of_backup: Path) -> None:
    manifest = json.loads((copy_of_backup / "manifest.json").read_text())
    upload = next(entry["path"] for entry in manifest["files"] if entry["path"].startswith("media/"))
    damaged = bytearray((copy_of_backup / upload).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (copy_of_backup / upload).write_bytes(bytes(damaged))
    (copy_of_backup / "secret-key" / "secret_key").unlink()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(copy_of_backup))

    assert f"{upload}: its SHA-256 differs" in str(refused.value)
    assert "secret-key/secret_key: missing" in str(refused.value)


def _cut_short(manifest: Path) -> None:
    manifest.write_text(manifest.read_text()[:-200])


def _pointing_outside(manifest: Path) -> None:
    text = manifest.read_text()
    manifest.write_text(text.replace('"path": "secret-key/secret_key"', '"path": "secret-key/../../x"'))


@pytest.mark.single_run
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (Path.unlink, "manifest.json is missing"),
        (_cut_short, "manifest.json is damaged"),
        (lambda manifest: manifest.write_text('{"format": 1, "files": []}'), "manifest.json is damaged"),
        (_pointing_outside, "outside the backup"),
    ],
    ids=["missing", "cut short", "incomplete", "pointing outside"],
)
def test_a_missing_or_damaged_manifest_is_refused(copy_of_backup: Path, damage: Any, message: str) -> None:
    damage(copy_of_backup / "manifest.json")

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(copy_of_backup))


def _as_made_on(backup: Path, vendor: str) -> None:
    """Make the backup claim it was made on ``vendor``: its database file renamed to match."""
    names = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (backup / manifest["database"]["file"]).rename(backup / names[vendor])
    for entry in manifest["files"]:
        if entry["path"] == manifest["database"]["file"]:
            entry["path"] = names[vendor]
    manifest["database"] = {"vendor": vendor, "file": names[vendor]}
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.single_run
def test_a_backup_of_the_other_database_vendor_is_refused(copy_of_backup: Path) -> None:
    """Made on PostgreSQL and restored here on SQLite (the suite's database), or the other way."""
    _as_made_on(copy_of_backup, "postgresql" if connection.vendor == "sqlite" else "sqlite")

    with pytest.raises(CommandError, match="restoring across database vendors is not supported"):
        call_command("restore", str(copy_of_backup))


@pytest.mark.single_run
def test_a_backup_made_by_a_newer_version_is_refused(copy_of_backup: Path) -> None:
    manifest_path = copy_of_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["accounts"] = "9999_from_a_later_release"
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=r"newer version.*accounts\.9999_from_a_later_release"):
        call_command("restore", str(copy_of_backup))


@pytest.mark.single_run
def test_a_backup_is_written_only_into_a_new_or_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("kept")

    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", "--into", str(tmp_path / "full"))

    assert [path.name for path in (tmp_path / "full").iterdir()] == ["notes.txt"]


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """A new, empty PostgreSQL database of the test's own, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the suite's PostgreSQL run, from its test database")
    name = f"backup_dst_{secrets.token_hex(4)}"
    if not _postgres(f"CREATE DATABASE {name}"):
        pytest.skip(f"PostgreSQL does not answer at {PG_SERVER}")
    yield f"{PG_SERVER}/{name}"
    _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restored_onto_a_new_database_gives_back_its_records_files_and_search(
    postgres_target: str, tmp_path: Path, settings: Any
) -> None:
    # The source is the suite's test database (committed: pg_dump reads it from another session).
    settings.VAR_DIR = tmp_path / "source"
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.REPORTS_ROOT = tmp_path / "source-shared" / "reports"
    settings.LEARNING_PACKAGE_ROOT = tmp_path / "source-shared" / "packages"
    facts = fill()
    call_command("backup", "--into", str(tmp_path / "backup"), stdout=io.StringIO())
    target = Site(tmp_path / "target", postgres_target)

    # An SQLite backup is refused on PostgreSQL; the restore below, without --force, finds the
    # database still empty.
    shutil.copytree(tmp_path / "backup", tmp_path / "sqlite-backup")
    _as_made_on(tmp_path / "sqlite-backup", "sqlite")
    refused = target.run("restore", str(tmp_path / "sqlite-backup"))
    assert refused.returncode != 0 and "not supported" in refused.stderr

    done = target.run("restore", str(tmp_path / "backup"))

    assert done.returncode == 0, done.stderr
    assert "as in the backup's manifest" in done.stdout
    assert _postgres_rows(postgres_target, "accounts_user", "support_resource") == (10, 1)
    upload = tmp_path / "source" / "media" / facts["file"]
    assert _sha256(target.var / "media" / facts["file"]) == _sha256(upload)
    built = tmp_path / "source-shared" / "reports" / facts["report"]
    assert _sha256(target.reports / facts["report"]) == _sha256(built)
    assert target.site("search", "invasive plants") == [TITLE]
