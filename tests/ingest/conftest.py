"""Render the first seed report to a three-part PDF: single column, a two-column page written line by line
(left and right rows interleaved, so content-stream order is not reading order), then single column again;
with a running header, page numbers and words hyphenated at line ends."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEADER = "J Clin Case Rep 2018 | Radiology case series"
SIZE, LEAD = 9, 4.4  # font size (pt), line height (mm)
TOP, BOTTOM, LEFT, WIDTH = 22, 272, 20, 170


@dataclass
class Rendered:
    path: Path
    pages: int
    blocks: list[tuple[str, str]]  # (kind, text) with kind heading|para
    hyphenated: list[str] = field(default_factory=list)  # words broken across lines, as whole words
    header: str = HEADER


def seed_blocks(text: str) -> list[tuple[str, str]]:
    """The seed as heading/paragraph blocks without Markdown markup."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"<sup>.*?</sup>", "", block)
        block = block.replace("**", "").replace("\\*", "").replace("*", "")
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            out.append(("heading", lines[0].lstrip("#").strip()))
            lines = lines[1:]
        if lines and all(re.match(r"\d+\. ", line) for line in lines):
            out.extend(("para", line) for line in lines)
        elif lines:
            out.append(("para", " ".join(lines)))
    return out


def wrap(pdf, text: str, width: float, broken: list[str]) -> list[str]:
    """Greedy line breaking that hyphenates long plain words (no inner hyphen) when part of them fits."""
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if pdf.get_string_width(trial) <= width:
            current = trial
            continue
        if len(word) >= 8 and word.isalpha() and current:
            for cut in range(len(word) - 4, 3, -1):
                head = f"{current} {word[:cut]}-"
                if pdf.get_string_width(head) <= width:
                    lines.append(head)
                    broken.append(word)
                    current = word[cut:]
                    break
            else:
                lines.append(current)
                current = word
            continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def render(blocks: list[tuple[str, str]], out: Path) -> Rendered:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=SIZE)
    broken: list[str] = []
    pages = 0

    def new_page():
        nonlocal pages
        pdf.add_page()
        pages += 1
        pdf.text(LEFT, 12, HEADER)
        pdf.text(105, 285, str(pages))

    def stream(items, width):
        rows = []
        for kind, text in items:
            if rows:
                rows.append("")
            rows.extend([text] if kind == "heading" else wrap(pdf, text, width, broken))
        return rows

    first_two = next(i for i, (k, t) in enumerate(blocks) if k == "heading" and t == "Case Description")
    back_to_one = next(i for i, (k, t) in enumerate(blocks) if k == "heading" and t == "Conclusion")

    def single(items):
        y = BOTTOM + 1
        for row in stream(items, WIDTH):
            if y > BOTTOM:
                new_page()
                y = TOP
            if row:
                pdf.text(LEFT, y, row)
            y += LEAD

    single(blocks[:first_two])
    col = (WIDTH - 10) / 2
    rows = stream(blocks[first_two:back_to_one], col)
    per_col = int((BOTTOM - TOP) / LEAD) + 1
    assert len(rows) <= 2 * per_col, "two-column part must fit one page"
    half = (len(rows) + 1) // 2
    if rows[half - 1] == "":
        half -= 1
    left, right = rows[:half], rows[half:]
    while right and right[0] == "":
        right.pop(0)
    new_page()
    for i in range(max(len(left), len(right))):
        y = TOP + i * LEAD
        if i < len(left) and left[i]:
            pdf.text(LEFT, y, left[i])
        if i < len(right) and right[i]:
            pdf.text(LEFT + col + 10, y, right[i])
    single(blocks[back_to_one:])
    pdf.output(str(out))
    return Rendered(out, pages, blocks, broken)


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory) -> Rendered:
    if not FONT.exists():
        pytest.skip(f"no TTF font at {FONT} (apt-get install fonts-dejavu-core)")
    out = tmp_path_factory.mktemp("pdf") / "000_5d4d30acd5d24a24.pdf"
    return render(seed_blocks(SEED.read_text(encoding="utf-8")), out)
