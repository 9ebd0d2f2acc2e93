"""Plain text and Markdown reports: the file's own text, decoded strictly as UTF-8."""
from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.ingest import Reader, doc_id_for, register
from kg.model import Document


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text of ``data`` or an InputError saying why it is not a text report."""
    if b"\x00" in data[:65536]:
        raise InputError(source, "binary file (contains NUL bytes), not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    if not text.strip():
        raise InputError(source, "empty file")
    printable = sum(1 for ch in text[:20000] if ch.isprintable() or ch in "\n\r\t")
    if printable < 0.95 * min(len(text), 20000):
        raise InputError(source, "mostly non-printable characters, not a text report")
    return text


def read_text(path: Path, data: bytes, source: str) -> list[Document]:
    text = decode_text(data, source)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return [Document(doc_id=doc_id_for(path), source=source, text=text, format=fmt)]


register(Reader(name="text", suffixes=(".txt", ".md", ".markdown", ".text"), sniff=lambda data: False, read=read_text))
