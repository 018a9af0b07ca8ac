"""Reading zip files people upload (course packages, SCORM packages)."""

from __future__ import annotations

import zipfile

# What reading a damaged or unusual archive raises: a broken directory (BadZipFile, EOFError,
# OSError), a ZIP64 archive not allowed (LargeZipFile), and a compression method this Python
# cannot decompress, which zipfile reports as NotImplementedError.
UNREADABLE_ZIP: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    NotImplementedError,
)
