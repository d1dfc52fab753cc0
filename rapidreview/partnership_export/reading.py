"""Checking an archive before anything is imported: its entries, manifest, format version, checksums and rows.

An archive is refused (``ArchiveInvalid``, whose message is shown to the administrator) when:
- it is not a ZIP file, or holds an entry outside ``manifest.json``, ``README.txt``, ``data/`` and ``files/``, an
  absolute path, a ``..`` or a backslash, or more entries or unpacked bytes than the limits;
- its manifest is missing or not the format and version this installation reads;
- an entry is missing from the manifest or the manifest lists one that is missing, or a SHA-256 or size differs;
- a data file names a model this installation does not hold, or one that is never imported (``scope.EXCLUDED``),
  or its row count differs from the manifest's;
- it was made by a newer version of the application (a migration this installation does not have).
"""

import hashlib
import json
import re
import zipfile
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from rapidreview.db import DomainError

from .archive import FORMAT, data_path
from .scope import PARTNERSHIP, export_plan

SUPPORTED_VERSIONS = (1,)
MAX_ENTRIES = 500_000
DATA_NAME = re.compile(r"^data/([a-z0-9_]+\.[a-z0-9_]+)\.json$")


class ArchiveInvalid(DomainError):
    """The archive cannot be imported; the message says why (shown by the form field ``field`` names, if any)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        return [(self.field, str(self))]


def _safe_name(name: str) -> bool:
    if name in ("manifest.json", "README.txt"):
        return True
    if "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    if not parts or any(part in ("", ".", "..") for part in parts):
        return False
    if parts[0] == "data":
        return bool(DATA_NAME.match(name))
    return parts[0] == "files" and len(parts) > 1


def open_archive(source) -> zipfile.ZipFile:
    """The archive as a ``ZipFile`` whose entries are all safe to read; raises ArchiveInvalid otherwise."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ArchiveInvalid("The file is not a ZIP archive.") from error
    entries = archive.infolist()
    names = [e.filename for e in entries]
    if len(entries) > MAX_ENTRIES:
        raise ArchiveInvalid("The archive holds more entries than an import allows.")
    if len(set(names)) != len(names):
        raise ArchiveInvalid("The archive holds the same entry twice.")
    unsafe = [name for name in names if not _safe_name(name)]
    if unsafe:
        raise ArchiveInvalid(f"The archive holds an entry an import does not accept: {unsafe[0][:100]}")
    if sum(e.file_size for e in entries) > settings.PARTNERSHIP_IMPORT_MAX_BYTES:
        raise ArchiveInvalid("The archive unpacks to more than an import allows.")
    return archive


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as error:
        raise ArchiveInvalid("The archive has no manifest.json: it is not a partnership export.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveInvalid("The archive's manifest.json is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveInvalid("The archive is not a Rapid Review partnership export.")
    if manifest.get("format_version") not in SUPPORTED_VERSIONS:
        raise ArchiveInvalid(f"The archive's format version {manifest.get('format_version')!r} is not one this "
                             f"installation reads ({', '.join(map(str, SUPPORTED_VERSIONS))}).")
    if not isinstance(manifest.get("files"), list) or not isinstance(manifest.get("partnership"), dict):
        raise ArchiveInvalid("The archive's manifest does not list its files and partnership.")
    return manifest


def _checksum(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as entry:
        for chunk in iter(lambda: entry.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_files(archive: zipfile.ZipFile, manifest: dict) -> None:
    listed = {}
    for entry in manifest["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ArchiveInvalid("The archive's manifest lists a file without its path.")
        listed[entry["path"]] = entry
    present = set(archive.namelist()) - {"manifest.json"}
    if present - set(listed):
        raise ArchiveInvalid(f"The archive holds a file its manifest does not list: {sorted(present - set(listed))[0]}")
    if set(listed) - present:
        raise ArchiveInvalid(f"The archive is missing a file its manifest lists: {sorted(set(listed) - present)[0]}")
    for path, entry in listed.items():
        sha256, size = _checksum(archive, path)
        if sha256 != entry.get("sha256") or size != entry.get("bytes"):
            raise ArchiveInvalid(f"{path} does not match its checksum in the manifest: the archive has been "
                                 "changed or damaged.")


def _check_data(archive: zipfile.ZipFile, manifest: dict) -> None:
    plan = export_plan()
    for entry in manifest["files"]:
        match = DATA_NAME.match(entry["path"])
        if not match:
            continue
        label = match.group(1)
        if entry.get("model") != label or data_path(label) != entry["path"]:
            raise ArchiveInvalid(f"{entry['path']} is listed under another model's name.")
        try:
            apps.get_model(label)
        except LookupError as error:
            raise ArchiveInvalid(f"{entry['path']} holds {label}, which this installation does not have.") from error
        if plan.kind(label) not in ("owned", "history", "shared"):
            raise ArchiveInvalid(f"{entry['path']} holds {label}, which an import never writes.")
        rows = read_rows(archive, label)
        if len(rows) != entry.get("rows") or any(row.get("model") != label for row in rows):
            raise ArchiveInvalid(f"{entry['path']} does not hold the rows its manifest says.")
        if label == PARTNERSHIP and len(rows) != 1:
            raise ArchiveInvalid("The archive must hold exactly one partnership.")
    if not any(entry.get("model") == PARTNERSHIP for entry in manifest["files"]):
        raise ArchiveInvalid("The archive holds no partnership.")


def _check_software(manifest: dict) -> None:
    applied = (manifest.get("software") or {}).get("migrations") or {}
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    newer = [f"{app} {name}" for app, name in sorted(applied.items()) if app in installed and (app, name) not in known]
    if newer:
        raise ArchiveInvalid("The archive was made by a newer version of Rapid Review (it has migration "
                             f"{newer[0]}). Upgrade this installation first.")


def read_rows(archive: zipfile.ZipFile, label: str) -> list[dict]:
    try:
        rows = json.loads(archive.read(data_path(label)))
    except KeyError:
        return []
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveInvalid(f"{data_path(label)} is not valid JSON.") from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) and isinstance(row.get("fields"), dict)
                                             for row in rows):
        raise ArchiveInvalid(f"{data_path(label)} is not a list of rows.")
    return rows


def check_archive(source) -> dict:
    """Check the whole archive at ``source`` (a path or binary file); returns its manifest."""
    with open_archive(source) as archive:
        manifest = read_manifest(archive)
        _check_files(archive, manifest)
        _check_data(archive, manifest)
        _check_software(manifest)
    return manifest
