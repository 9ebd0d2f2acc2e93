"""Strict loaders for the rule tables and word lists bundled with casekg (and the ontology files)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from kg.errors import ResourceError


def resource_path(name: str) -> Path:
    """Path of a file in kg/resources."""
    return Path(str(resources.files("kg.resources").joinpath(name)))


def ontology_path(name: str) -> Path:
    """Path of a file in the top-level ontology/ folder (installed as the package kg.ontology)."""
    return Path(str(resources.files("kg.ontology").joinpath(name)))


def load_tsv(path: Path, columns: tuple[str, ...], allowed: dict[str, set[str]] | None = None,
             min_columns: int | None = None) -> list[dict[str, str]]:
    """Rows of a TSV whose first line is exactly ``columns``; '#' lines and blank lines are skipped.

    Raises ResourceError naming the file and line for a missing file, a wrong header, a short row,
    an empty required cell or a value outside ``allowed``.
    """
    if not path.is_file():
        raise ResourceError(f"{path}: resource file missing")
    required = min_columns if min_columns is not None else len(columns)
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header_seen = False
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != columns:
                raise ResourceError(f"{path}:{lineno}: header must be {'<TAB>'.join(columns)!r}, got {line!r}")
            header_seen = True
            continue
        if len(cells) > len(columns):
            raise ResourceError(f"{path}:{lineno}: {len(cells)} columns, expected at most {len(columns)}")
        cells += [""] * (len(columns) - len(cells))
        row = {c: v.strip() for c, v in zip(columns, cells)}
        for c in columns[:required]:
            if not row[c]:
                raise ResourceError(f"{path}:{lineno}: empty '{c}'")
        for c, values in (allowed or {}).items():
            if row[c] and row[c] not in values:
                raise ResourceError(f"{path}:{lineno}: '{c}' is {row[c]!r}, expected one of {sorted(values)}")
        rows.append(row)
    if not header_seen:
        raise ResourceError(f"{path}: no header line")
    return rows


def load_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word list."""
    if not path.is_file():
        raise ResourceError(f"{path}: resource file missing")
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]
