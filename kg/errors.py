"""The one error hierarchy of casekg. The CLI turns any ``CaseKGError`` into a one-line message."""
from __future__ import annotations


class CaseKGError(Exception):
    """Base of every error casekg raises on purpose."""


class InputError(CaseKGError):
    """A report file that cannot be read: names the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(InputError):
    """No reader accepts this file."""


class ResourceError(CaseKGError):
    """A bundled lexicon, rule table or ontology file is missing or malformed (names file and line)."""


class StoreError(CaseKGError):
    """The embedded store cannot be opened, read or written."""


class QueryError(CaseKGError):
    """A SPARQL query that does not parse or cannot run."""


class ExportError(CaseKGError):
    """An export format that is unknown or an output that cannot be written."""
