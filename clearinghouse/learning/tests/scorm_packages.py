"""SCORM packages built in the tests: sound ones in both versions, and hostile ones, each made
the way an attacker or a careless tool would make it."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping

from django.core.files.uploadedfile import SimpleUploadedFile

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.selfcheck" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>{title}</title>
      <item identifier="I1" identifierref="R1"><title>First page</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="{launch}">
      <file href="{launch}"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.pollinators" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="B">
    <organization identifier="A"><title>Not this one</title>
      <item identifier="IA" identifierref="RA"><title>Wrong</title></item>
    </organization>
    <organization identifier="B"><title>{title}</title>
      <item identifier="IB0"><title>A folder</title>
        <item identifier="IB1" identifierref="ASSET"><title>An asset first</title></item>
        <item identifier="IB2" identifierref="SCO" parameters="?chapter=1"><title>The SCO</title></item>
      </item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="RA" type="webcontent" adlcp:scormType="sco" href="wrong.html"/>
    <resource identifier="ASSET" type="webcontent" adlcp:scormType="asset" href="intro.html"/>
    <resource identifier="SCO" type="webcontent" adlcp:scormType="sco" href="{launch}"/>
  </resources>
</manifest>
"""

# A tiny SCO: finds the runtime in the parent window, commits where the learner is, then
# reports a pass with a score of 80 out of 100 and finishes. Used by the browser test.
SCO_12 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Self-check</title>
<link rel="stylesheet" href="style.css"><script src="sco.js"></script></head>
<body><h1>Self-check</h1><p id="state">starting</p></body></html>
"""
SCO_12_JS = """
window.addEventListener("load", function () {
  var api = window.parent && window.parent.API;
  var state = document.getElementById("state");
  if (!api) { state.textContent = "no API"; return; }
  api.LMSInitialize("");
  var before = api.LMSGetValue("cmi.core.entry") + "|" + api.LMSGetValue("cmi.suspend_data");
  api.LMSSetValue("cmi.core.lesson_location", "page-3");
  api.LMSSetValue("cmi.suspend_data", "answers=b,c,a");
  api.LMSSetValue("cmi.core.exit", "suspend");
  var committed = api.LMSCommit("");
  // The result travels with LMSFinish alone, as many packages send it.
  api.LMSSetValue("cmi.core.score.raw", "80");
  api.LMSSetValue("cmi.core.score.min", "0");
  api.LMSSetValue("cmi.core.score.max", "100");
  api.LMSSetValue("cmi.core.lesson_status", "passed");
  var finished = api.LMSFinish("");
  state.textContent = "done " + committed + " " + finished + " " + before;
});
"""


def zipped(files: Mapping[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def scorm_12(
    title: str = "Ecosystem services: a self-check", launch: str = "index.html"
) -> dict[str, bytes | str]:
    return {
        "imsmanifest.xml": MANIFEST_12.format(title=title, launch=launch),
        launch: SCO_12,
        "sco.js": SCO_12_JS,
        "style.css": "body { font-family: sans-serif; }",
        "images/bee.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "notes.pdf": b"%PDF-1.4 not really",
    }


def scorm_2004(title: str = "Pollinators", launch: str = "sco.html") -> dict[str, bytes | str]:
    return {
        "imsmanifest.xml": MANIFEST_2004.format(title=title, launch=launch),
        f"content/{launch}": "<!doctype html><title>SCO</title><p>Pollinators</p>",
        "content/intro.html": "<!doctype html><title>Intro</title>",
        "content/wrong.html": "<!doctype html><title>Wrong</title>",
    }


def upload(content: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


def with_symlink(files: Mapping[str, bytes | str], name: str, target: str) -> bytes:
    """A zip whose entry ``name`` is a symbolic link to ``target`` (as `zip --symlinks` makes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name, content in files.items():
            archive.writestr(file_name, content)
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, target)
    return buffer.getvalue()
