"""Readers, one per format, chosen by sniffing the content first and the suffix second.

``read(path)`` returns a list of Documents (a JATS file may hold several articles) or raises InputError.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from kg.errors import InputError, UnsupportedFormatError
from kg.model import Document

ReaderFn = Callable[[Path, bytes, str], list[Document]]


@dataclass(frozen=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: ReaderFn


_READERS: list[Reader] = []


def register(reader: Reader) -> None:
    """Add a reader; later registrations are tried first when sniffing."""
    _READERS.insert(0, reader)


def readers() -> tuple[Reader, ...]:
    _load_builtin()
    return tuple(_READERS)


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted({s for r in readers() for s in r.suffixes}))


def doc_id_for(path: Path) -> str:
    """A stable report id from the file name: lower-case stem, safe for IRIs."""
    stem = path.name
    for suffix in sorted(supported_suffixes(), key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-") or "report"


def read(path: str | Path, source: str | None = None) -> list[Document]:
    """Read one report file into Documents; ``source`` is the path recorded in the graph."""
    path = Path(path)
    source = source or path.as_posix()
    if not path.exists():
        raise InputError(source, "no such file")
    if not path.is_file():
        raise InputError(source, "not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(source, "empty file")
    suffix = path.suffix.lower()
    candidates = readers()
    for reader in candidates:
        if reader.sniff(data):
            return reader.read(path, data, source)
    for reader in candidates:
        if suffix in reader.suffixes:
            return reader.read(path, data, source)
    raise UnsupportedFormatError(source, f"unsupported file type '{suffix or path.name}' "
                                         f"(supported: {', '.join(supported_suffixes())})")


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files under the given paths that some reader claims by suffix, sorted for determinism.

    A path named explicitly is always returned, so an unsupported file is reported rather than ignored.
    """
    suffixes = set(supported_suffixes())
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            found.append(p)
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


_loaded = False


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from kg.ingest import text  # noqa: F401  (registers itself)
    for optional in ("jats", "pdf"):
        try:
            __import__(f"kg.ingest.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.ingest.{optional}":
                raise
