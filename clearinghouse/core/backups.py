"""Backups and restores of the whole platform: its database, the files it keeps on disk, and a
manifest that lets a restore check everything before it writes anything (docs/operations.md).

A backup is a plain folder: ``manifest.json``, the database (``database.sqlite3``, made with
SQLite's online backup API, or ``database.pgdump``, made by ``pg_dump --format=custom``) and one
folder per kind of kept files. The core imports no app above it: each app declares here, from
its ``AppConfig.ready()``, the files on disk a restart needs (``register_files``) and the derived
state that a restore rebuilds instead (``register_derived``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What `migrate` writes into an empty database by itself: their rows are not data of a site.
FILLED_BY_MIGRATE = frozenset({"contenttypes.ContentType", "auth.Permission"})
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Files:
    """Files on disk that the platform needs after a restart and cannot make again: backed up
    under ``name``. ``location`` is read when the backup or restore runs (settings may move it);
    ``only`` limits the folder to these file names (keys kept beside the database)."""

    name: str
    location: Callable[[], Path]
    about: str
    only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Derived:
    """State the platform makes again from the database: left out of backups. ``rebuild`` is the
    command a restore runs for it (empty: made again on first use)."""

    name: str
    about: str
    rebuild: tuple[str, ...] = ()


_FILES: dict[str, Files] = {}
_DERIVED: dict[str, Derived] = {}


def register_files(files: Files) -> Files:
    _FILES[files.name] = files
    return files


def register_derived(derived: Derived) -> Derived:
    _DERIVED[derived.name] = derived
    return derived


def registered_files() -> list[Files]:
    return list(_FILES.values())


def registered_derived() -> list[Derived]:
    return list(_DERIVED.values())


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the backup folder, with "/"
    size: int
    sha256: str


@dataclass
class Restored:
    """What a restore did: the rows per model in the backup and in the restored database."""

    expected: dict[str, int]
    found: dict[str, int]

    def differences(self) -> dict[str, tuple[int, int]]:
        return {
            label: (rows, self.found.get(label, 0))
            for label, rows in self.expected.items()
            if self.found.get(label, 0) != rows
        }


# --- backup ---------------------------------------------------------------------------------------


def create(destination: Path, *, into: bool = False, say: Callable[[str], None] = print) -> Path:
    """Back the platform up into a new folder ``destination/clearinghouse-<UTC time>`` (with
    ``into``: into ``destination`` itself, which must be missing or empty) and return it. The
    folder is written under a hidden name and renamed when complete, so a folder with the final
    name is always a whole backup."""
    vendor = _vendor()
    destination = destination.resolve()
    for files in registered_files():
        source = files.location().resolve()
        if not files.only and destination.is_relative_to(source):
            raise BackupError(
                f"{destination} is inside {source}, which the backup copies; choose another place"
            )
    if into:
        if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
            raise BackupError(f"{destination} is not an empty folder; give a new or empty one")
        target = destination
    else:
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
        target = destination / f"clearinghouse-{stamp}"
        if target.exists():
            raise BackupError(f"{target} exists already")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial-"))
    try:
        entries, records, migrations = _dump_database(vendor, staging / DATABASE_FILES[vendor])
        rows = sum(counted["rows"] for counted in records.values())
        say(f"database ({vendor}): {rows:,} rows in {len(records)} models")
        for files in registered_files():
            copied = _copy_files(files, staging)
            say(f"{files.name}: {len(copied)} files, {sum(entry.size for entry in copied):,} bytes")
            entries += copied
        manifest = _manifest(vendor, entries, records, migrations)
        _write_private(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        if into and destination.exists():
            destination.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups of a {vendor} database are not supported: only SQLite and PostgreSQL")
    return vendor


def counted_tables() -> dict[str, str]:
    """Every concrete model's label and table (many-to-many tables included)."""
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _count(cursor: Any, tables: Mapping[str, str], existing: set[str]) -> dict[str, int]:
    """Rows per model label, for the tables of ``tables`` that exist."""
    counts = {}
    for label, table in sorted(tables.items()):
        if table in existing:
            # The table names come from the models or from a checked manifest, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[label] = int(cursor.fetchone()[0])
    return counts


def _latest_migrations(cursor: Any) -> dict[str, str]:
    """The latest migration applied per app (migration names begin with their number)."""
    cursor.execute("SELECT app, name FROM django_migrations")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


Dumped = tuple[list[Entry], dict[str, dict[str, Any]], dict[str, str]]


def _dump_database(vendor: str, path: Path) -> Dumped:
    """Write the database into ``path``; count its rows and read its migrations in the very
    state written (the copy itself on SQLite, the dump's snapshot on PostgreSQL)."""
    tables = counted_tables()
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            # One step: SQLite copies a consistent state while the site goes on writing (WAL).
            connection.connection.backup(copy)
            # A single self-contained file, whatever mode the live database is in.
            copy.execute("PRAGMA journal_mode=DELETE")
            reading = copy.cursor()
            reading.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            existing = {row[0] for row in reading.fetchall()}
            counts = _count(reading, tables, existing)
            migrations = _latest_migrations(reading)
        finally:
            copy.close()
    else:
        pg_dump = _program("pg_dump")
        connection.ensure_connection()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={path}"])
            counts = _count(cursor, tables, set(connection.introspection.table_names(cursor)))
            migrations = _latest_migrations(cursor)
    os.chmod(path, 0o600)
    size, digest = _hash(path)
    records = {label: {"table": tables[label], "rows": rows} for label, rows in counts.items()}
    return [Entry(path.name, size, digest)], records, migrations


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install PostgreSQL's client programs (the server's version or newer)"
        )
    return found


def _pg_environment() -> dict[str, str]:
    """The connection settings of Django's database for libpq: in the environment, so that the
    password never shows on a command line."""
    database = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = str(database.get(key) or "")
        if value:
            environment[variable] = value
        else:
            environment.pop(variable, None)
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603  # nosec B603  # an argument list, no shell; settings in the environment
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def code_version() -> str:
    """``git describe`` of the checkout the platform runs from, else the installed version."""
    git = shutil.which("git")
    base = Path(settings.BASE_DIR)
    if git and (base / ".git").exists():
        try:
            done = subprocess.run(  # noqa: S603  # nosec B603  # an argument list, no shell
                [git, "-C", str(base), "describe", "--always", "--dirty", "--tags"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is not None and done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    try:
        return importlib.metadata.version("clearinghouse")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _manifest(
    vendor: str, entries: list[Entry], records: dict[str, dict[str, Any]], migrations: dict[str, str]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
        "migrations": migrations,
        "records": records,
        "areas": {
            files.name: {"from": str(files.location()), "about": files.about} for files in registered_files()
        },
        "derived": {
            derived.name: {
                "about": derived.about,
                "rebuilt_by": " ".join(("clearinghouse", *derived.rebuild)) if derived.rebuild else "",
            }
            for derived in registered_derived()
        },
        "files": [{"path": entry.path, "size": entry.size, "sha256": entry.sha256} for entry in entries],
    }


def _walk(files: Files) -> Iterator[tuple[Path, str]]:
    """The regular files of ``files``, with their names relative to its location. Links are
    left out: the platform makes none, and one could lead outside."""
    root = files.location()
    if files.only:
        for name in files.only:
            if (root / name).is_file() and not (root / name).is_symlink():
                yield root / name, name
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def _copy_files(files: Files, staging: Path) -> list[Entry]:
    copied = []
    for source, relative in _walk(files):
        try:
            size, digest = _copy(source, staging / files.name / relative, private=True)
        except FileNotFoundError:
            # Removed while the backup ran (an import's upload once its job is over).
            continue
        copied.append(Entry(f"{files.name}/{relative}", size, digest))
    return copied


def _copy(source: Path, target: Path, *, private: bool) -> tuple[int, str]:
    """Copy ``source`` to the new file ``target``, hashing it on the way: its size and SHA-256.
    A backup's files are readable by this account only (``private``); restored ones get the
    permissions the platform's own files get."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reading:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with os.fdopen(os.open(target, flags, 0o600 if private else 0o666), "wb") as writing:
            for chunk in iter(lambda: reading.read(CHUNK), b""):
                digest.update(chunk)
                writing.write(chunk)
                size += len(chunk)
    return size, digest.hexdigest()


def _hash(path: Path) -> tuple[int, str]:
    with path.open("rb") as reading:
        digest = hashlib.file_digest(reading, "sha256")
        return reading.tell(), digest.hexdigest()


def _write_private(path: Path, content: bytes) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as writing:
        writing.write(content)


# --- reading and checking a backup ----------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """A backup's manifest, checked for shape."""

    created_at: str
    code_version: str
    vendor: str
    database: str
    migrations: dict[str, str]
    records: dict[str, tuple[str, int]]  # label: (table, rows)
    areas: tuple[str, ...]
    files: tuple[Entry, ...]


def read_manifest(backup: Path) -> Manifest:
    """The manifest of the backup folder ``backup``; BackupError when it is missing or damaged."""
    path = backup / MANIFEST
    if not backup.is_dir():
        raise BackupError(f"{backup} is not a folder: give the folder the backup command wrote")
    if not path.is_file():
        raise BackupError(f"{path} is missing: {backup} is not a whole backup")
    try:
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict):
            raise TypeError("not an object")
        if raw.get("format") != FORMAT:
            raise BackupError(
                f"{path} is in format {raw.get('format')!r}; this version of the platform reads "
                f"format {FORMAT}"
            )
        database = raw["database"]
        manifest = Manifest(
            created_at=_text(raw["created_at"]),
            code_version=_text(raw["code_version"]),
            vendor=_text(database["vendor"]),
            database=_text(database["file"]),
            migrations={_text(app): _text(name) for app, name in raw["migrations"].items()},
            records={
                _text(label): (_text(counted["table"]), _number(counted["rows"]))
                for label, counted in raw["records"].items()
            },
            areas=tuple(_text(name) for name in raw["areas"]),
            files=tuple(
                Entry(_text(item["path"]), _number(item["size"]), _text(item["sha256"]))
                for item in raw["files"]
            ),
        )
    except BackupError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise BackupError(
            f"{path} is damaged ({type(error).__name__}: {error}); nothing was restored"
        ) from error
    _check_paths(path, manifest)
    return manifest


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{value!r} is not a count")
    return value


def _check_paths(path: Path, manifest: Manifest) -> None:
    """Every file named stays inside the backup, in the database file or an area."""
    if manifest.vendor not in DATABASE_FILES or manifest.database != DATABASE_FILES[manifest.vendor]:
        raise BackupError(f"{path} is damaged: it names an unknown database ({manifest.vendor!r})")
    places = {manifest.database, *manifest.areas}
    for entry in manifest.files:
        parts = PurePosixPath(entry.path).parts
        if (
            not parts
            or entry.path.startswith("/")
            or "\\" in entry.path
            or any(part in ("", ".", "..") for part in parts)
            or parts[0] not in places
            or (parts[0] == manifest.database and len(parts) > 1)
        ):
            raise BackupError(f"{path} is damaged: it names the file {entry.path!r}, outside the backup")
    if manifest.database not in {entry.path for entry in manifest.files}:
        raise BackupError(f"{path} is damaged: it lists no database file")


def verify(backup: Path, manifest: Manifest) -> None:
    """Check every file of the manifest against its size and SHA-256; BackupError naming every
    file missing or changed."""
    problems = []
    for entry in manifest.files:
        path = backup / entry.path
        if not path.is_file():
            problems.append(f"{entry.path}: missing")
            continue
        size, digest = _hash(path)
        if size != entry.size:
            problems.append(f"{entry.path}: {size:,} bytes instead of {entry.size:,}")
        elif digest != entry.sha256:
            problems.append(f"{entry.path}: its SHA-256 differs from the manifest's")
    if problems:
        raise BackupError(
            f"the backup {backup} is damaged; nothing was restored:\n"
            + "\n".join(f"  {line}" for line in problems)
        )


# --- restore --------------------------------------------------------------------------------------


def restore(backup: Path, *, force: bool = False, say: Callable[[str], None] = print) -> Restored:
    """Restore the backup folder ``backup`` onto this deployment: check the manifest and every
    file, refuse a database that holds data (unless ``force``), then replace the database and the
    kept files and rebuild the derived state. Nothing is written before every check passed."""
    backup = backup.resolve()
    manifest = read_manifest(backup)
    verify(backup, manifest)
    say(
        f"backup of {manifest.created_at} (code {manifest.code_version}): {len(manifest.files)} files checked"
    )
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"this backup was made on {_VENDOR_NAMES[manifest.vendor]} and this platform uses "
            f"{_VENDOR_NAMES[vendor]}: restoring across database vendors is not supported. Restore it "
            f"onto a platform set up with {_VENDOR_NAMES[manifest.vendor]}."
        )
    _check_migrations(manifest)
    areas = {files.name: files for files in registered_files() if files.name in manifest.areas}
    for name in manifest.areas:
        if name not in areas:
            say(f"{name}: not used by this version of the platform, left in the backup")
    if not force:
        _check_empty(areas)
    # The files are copied beside their places first: a full disk stops the restore here,
    # before the database is touched.
    staged: list[tuple[Files, Path, int]] = []
    try:
        for files in areas.values():
            staged.append(_stage(backup, manifest, files))
        _restore_database(vendor, backup / manifest.database)
    except BaseException:
        for _files, stage, _count_staged in staged:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    say(f"database ({vendor}) restored")
    for files, stage, copied in staged:
        _put_in_place(files, stage)
        say(f"{files.name}: {copied} files restored into {files.location()}")
    expected = {label: rows for label, (_table, rows) in manifest.records.items()}
    with connection.cursor() as cursor:
        found = _count(
            cursor,
            {label: table for label, (table, _rows) in manifest.records.items()},
            set(connection.introspection.table_names(cursor)),
        )
    _rebuild(say)
    return Restored(expected, found)


_VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _check_migrations(manifest: Manifest) -> None:
    """A backup made by a newer version of the platform cannot be restored by this one."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known |= set(migration.replaces)
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.migrations.items()
        if app in loader.migrated_apps and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"this backup was made by a newer version of the platform (code {manifest.code_version}); "
            f"this one does not know its migrations {', '.join(unknown)}. Install that version, then restore."
        )


def _check_empty(areas: Mapping[str, Files]) -> None:
    with connection.cursor() as cursor:
        counts = _count(cursor, counted_tables(), set(connection.introspection.table_names(cursor)))
    held = {label: rows for label, rows in counts.items() if rows and label not in FILLED_BY_MIGRATE}
    if held:
        largest = ", ".join(
            f"{label}: {rows:,}" for label, rows in sorted(held.items(), key=lambda item: -item[1])[:5]
        )
        raise BackupError(
            f"the database here already holds data ({sum(held.values()):,} rows in {len(held)} models; "
            f"{largest}). A restore replaces the whole database: restore onto an empty deployment, "
            "or add --force to replace what is here."
        )
    for files in areas.values():
        location = files.location()
        if not files.only and location.is_dir() and any(path.is_file() for path in location.rglob("*")):
            raise BackupError(
                f"{location} ({files.name}) already holds files. A restore replaces them: restore onto "
                "an empty deployment, or add --force to replace what is here."
            )


def _stage(backup: Path, manifest: Manifest, files: Files) -> tuple[Files, Path, int]:
    """Copy an area's files from the backup into a new folder beside (or, for a few files,
    inside) its location, to be moved into place once the database is restored."""
    location = files.location()
    parent = location if files.only else location.parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=parent, prefix=f".{location.name}.restoring-"))
    try:
        if not files.only:
            stage.chmod(0o777 & ~_umask())
        prefix = files.name + "/"
        copied = 0
        for entry in manifest.files:
            if entry.path.startswith(prefix):
                relative = entry.path.removeprefix(prefix)
                if files.only and relative not in files.only:
                    continue
                _copy(backup / entry.path, stage / relative, private=bool(files.only))
                copied += 1
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return files, stage, copied


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _put_in_place(files: Files, stage: Path) -> None:
    location = files.location()
    if files.only:
        for name in os.listdir(stage):
            os.replace(stage / name, location / name)
        stage.rmdir()
        return
    replaced = None
    if location.exists():
        replaced = location.parent / f"{stage.name}.replaced"
        location.rename(replaced)
    stage.rename(location)
    if replaced is not None:
        shutil.rmtree(replaced)


def _restore_database(vendor: str, source: Path) -> None:
    connections.close_all()
    if vendor == "sqlite":
        _restore_sqlite(source)
    else:
        pg_restore = _program("pg_restore")
        # One transaction: a restore that fails leaves the database as it was. Owners and
        # privileges are the target's: the roles of the machine backed up may not exist here.
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
    ContentType.objects.clear_cache()


def _restore_sqlite(source: Path) -> None:
    """Copy the backup into a new file beside the database, then move it into place."""
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"the database {name!r} is not a file: set DATABASE_URL to an SQLite file")
    target = Path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.restoring-")
    os.close(handle)
    try:
        reading = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        writing = sqlite3.connect(temporary)
        try:
            reading.backup(writing)
        finally:
            reading.close()
            writing.close()
        os.chmod(temporary, 0o600)
        # The journal of the database replaced must not be replayed into the new one.
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rebuild(say: Callable[[str], None]) -> None:
    """Bring the restored database up to this version's migrations, then rebuild every derived
    state that has a command."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        say("migrating: the backup was made by an earlier version")
        _call(("migrate", "--no-input"), say)
    for derived in registered_derived():
        if derived.rebuild:
            say(f"{derived.name}: clearinghouse {' '.join(derived.rebuild)}")
            _call(derived.rebuild, say)


def _call(command: tuple[str, ...], say: Callable[[str], None]) -> None:
    output = io.StringIO()
    call_command(*command, stdout=output)
    for line in output.getvalue().splitlines():
        say(f"  {line}")
