"""The one import engine (DESIGN §4 rule 3): a row schema per kind of record, one engine for all.

    preview = preview(path, PersonSchema(), context, filename=upload.name, progress=...)
    error_report(preview, path)            # when preview.counts["rejected"]
    rows = accepted(preview, "skip")       # or "update"; the caller writes them in one transaction

The pages (upload, template, preview, commit) and their jobs are one flow for every importer:
an app declares an `ImportFlow` (fpa.core.imports.flow). See docs/imports.md.
"""

from __future__ import annotations

from .cli import run_import_command
from .engine import accepted, locate_header, preview
from .errors import CellError, CellErrors, FileUnreadable
from .reader import Sheet, read
from .report import error_report
from .results import Preview, RowError, RowResult
from .schema import AmbiguousHeader, Column, Existing, RowSchema, normalise_header
from .template import template

__all__ = [
    "AmbiguousHeader",
    "CellError",
    "CellErrors",
    "Column",
    "Existing",
    "FileUnreadable",
    "Preview",
    "RowError",
    "RowResult",
    "RowSchema",
    "Sheet",
    "accepted",
    "error_report",
    "locate_header",
    "normalise_header",
    "preview",
    "read",
    "run_import_command",
    "template",
]
