"""Reference parsing measured on real JATS reference lists: render each entry as text, parse it, compare fields.

Entries with an ``element-citation`` are rendered as a Vancouver string; entries with a ``mixed-citation`` use
that element's own text (its punctuation as published). The tagged fields of the citation are the gold.
Reads ../shared/eval/jats/*.nxml; prints per-field accuracy and throughput.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from lxml import etree

from kg.extract.references import parse_reference

JATS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "jats"
FIELDS = ("first_author", "year", "title", "journal", "volume", "issue", "first_page", "last_page")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip() if el is not None else ""


def _child(cit, name: str):
    for el in cit.iter():
        if _local(el) == name:
            return el
    return None


def _render_mixed(el) -> str:
    """The text of a mixed-citation, with a space between a name's surname and given names."""
    parts: list[str] = []

    def walk(node):
        if _local(node) == "name":
            parts.append(" ".join(_text(c) for c in node if _local(c) in ("surname", "given-names")))
        elif _local(node) == "pub-id":
            kind = node.get("pub-id-type", "")
            parts.append({"pmid": " PMID: ", "doi": " doi: "}.get(kind, " ") + _text(node))
        else:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
                continue
    if el.text:
        parts.append(el.text)
    for child in el:
        walk(child)
        if child.tail:
            parts.append(child.tail)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _render_element(cit) -> str:
    """A Vancouver rendering of an element-citation."""
    names = []
    group = _child(cit, "person-group")
    scope = group if group is not None else cit
    for el in scope.iter():
        if _local(el) == "name":
            surname = _text(_child(el, "surname"))
            given = _text(_child(el, "given-names")).replace(".", "").replace(" ", "")
            names.append(f"{surname} {given}".strip())
        elif _local(el) == "collab":
            names.append(_text(el))
    authors = ", ".join(names)
    if _child(cit, "etal") is not None:
        authors += ", et al"
    out = authors + ". " if authors else ""
    title = _text(_child(cit, "article-title")) or _text(_child(cit, "chapter-title"))
    if title:
        out += title.rstrip(".") + ". "
    source = _text(_child(cit, "source"))
    if source:
        out += source.rstrip(".") + ". "
    out += _text(_child(cit, "year"))
    volume, issue = _text(_child(cit, "volume")), _text(_child(cit, "issue"))
    fpage, lpage = _text(_child(cit, "fpage")), _text(_child(cit, "lpage"))
    elocation = _text(_child(cit, "elocation-id"))
    if volume or fpage or elocation:
        out += ";" + volume + (f"({issue})" if issue else "")
        pages = fpage + (f"-{lpage}" if lpage else "") if fpage else elocation
        if pages:
            out += ":" + pages
    return out + "."


def _gold(cit) -> dict[str, str]:
    gold = {}
    name = _child(cit, "name")
    if name is not None:
        gold["first_author"] = _text(_child(name, "surname"))
    elif _child(cit, "collab") is not None:
        gold["first_author"] = _text(_child(cit, "collab"))
    for field, tag in (("year", "year"), ("title", "article-title"), ("journal", "source"), ("volume", "volume"),
                       ("issue", "issue"), ("first_page", "fpage"), ("last_page", "lpage")):
        value = _text(_child(cit, tag))
        if value:
            gold[field] = value
    if "first_page" not in gold and _child(cit, "elocation-id") is not None:
        gold["first_page"] = _text(_child(cit, "elocation-id"))
    if cit.get("publication-type") == "book" and "title" not in gold and "journal" in gold:
        gold["title"] = gold.pop("journal")
    year = re.search(r"\d{4}", gold.get("year", ""))
    if year:
        gold["year"] = year.group(0)
    else:
        gold.pop("year", None)
    return gold


def _norm(value: str) -> str:
    """Compared case-blind, with dashes unified, spaces before colons dropped and end punctuation ignored."""
    value = re.sub(r"\s+", " ", re.sub(r"[\u2010-\u2015\u2212]", "-", value))
    return re.sub(r"\s+([:;,])", r"\1", value).strip().strip(".?!").casefold()


def _last_page(first: str, last: str) -> str:
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def _parsed(ref, field: str) -> str:
    if field == "first_author":
        if not ref.authors:
            return ""
        first = ref.authors[0]
        bare = re.sub(r"\s+[A-Z\u00C0-\u00DE]{1,4}(?:-[A-Z\u00C0-\u00DE]{1,2})*$", "", first)
        return bare
    if field == "year":
        return str(ref.year) if ref.year else ""
    return getattr(ref, field)


def main() -> int:
    files = sorted(JATS.glob("*.nxml")) if JATS.is_dir() else []
    if not files:
        print(f"no JATS files at {JATS}; nothing to measure")
        return 0
    items = []
    for path in files:
        tree = etree.parse(str(path))
        for ref in tree.iter():
            if _local(ref) != "ref":
                continue
            mixed = _child(ref, "mixed-citation")
            element = _child(ref, "element-citation")
            if mixed is not None:
                items.append((path.name, _render_mixed(mixed), _gold(mixed)))
            elif element is not None:
                items.append((path.name, _render_element(element), _gold(element)))
    started = time.perf_counter()
    parsed = [parse_reference(text) for _, text, _ in items]
    elapsed = time.perf_counter() - started
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    per_file: dict[str, list[int]] = {}
    misses = []
    for (name, text, gold), ref in zip(items, parsed):
        ok_all = True
        for field in FIELDS:
            if field not in gold:
                continue
            want = gold[field]
            if field == "last_page":
                want = _last_page(gold.get("first_page", ""), want)
            totals[field] += 1
            if _norm(_parsed(ref, field)) == _norm(want):
                hits[field] += 1
            else:
                ok_all = False
                misses.append((name, field, want, _parsed(ref, field), text))
        stat = per_file.setdefault(name, [0, 0])
        stat[0] += ok_all
        stat[1] += 1
    print(f"references: {len(items)} from {len(files)} JATS files")
    for name, (good, total) in per_file.items():
        print(f"  {name}: {good}/{total} entries with every field right")
    print(f"{'field':<12} {'accuracy':>8}  correct/total")
    for field in FIELDS:
        acc = hits[field] / totals[field] if totals[field] else float("nan")
        print(f"{field:<12} {acc:>8.3f}  {hits[field]}/{totals[field]}")
    overall = sum(hits.values()) / max(1, sum(totals.values()))
    print(f"{'overall':<12} {overall:>8.3f}  {sum(hits.values())}/{sum(totals.values())}")
    print(f"throughput: {len(items) / elapsed:,.0f} references/s ({elapsed * 1000:.1f} ms for {len(items)})")
    if "-v" in sys.argv:
        for miss in misses:
            print("MISS", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
