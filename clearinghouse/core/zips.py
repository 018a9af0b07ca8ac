"""Reading zip files people upload (course packages, SCORM packages)."""

from __future__ import annotations

import zipfile

# What reading a damaged or unusual archive raises: a broken directory (BadZipFile, EOFError,
# OSError) or a ZIP64 archive not allowed (LargeZipFile). Compression methods are checked
# before reading (check_methods).
UNREADABLE_ZIP: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
)

# The compression methods zipfile decompresses.
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


def check_methods(archive: zipfile.ZipFile) -> None:
    """Refuse, as a damaged archive, one that holds an entry compressed by a method zipfile
    cannot decompress (it would fail only when that entry is read)."""
    unknown = sorted({info.compress_type for info in archive.infolist()} - READABLE_METHODS)
    if unknown:
        raise zipfile.BadZipFile(f"unsupported compression methods: {unknown}")
