"""The common needs format offline: a spreadsheet template to fill without a connection, an
XLSForm for ODK Collect and KoboToolbox, the readers that check an upload cell by cell, the
all-or-nothing importer, and exports that can be imported again. See docs/needs-offline.md.
"""
