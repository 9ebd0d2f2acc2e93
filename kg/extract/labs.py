"""Abnormal laboratory results read from numbers: "serum creatinine was 2.8 mg/dl" is Elevated circulating
creatinine concentration, "ceruloplasmin (8 mg/dL, normal range 20-46)" Decreased circulating ceruloplasmin.

After a lab test mention the value and its unit are read (``read_value``, also used by relations for Lab
observations; a number that is a time or a count, "at 11 years", is passed over). The value is judged against the
reference interval the text writes: right after it ("(normal 70-400)", "(reference range: 9-45)", "(N < 170)", a
bare "(70-400)"), between the name and the value as table rows write it ("CK (nv 0-170 U/L) <TAB> 799"), or in the
last cell of a table row ("LH <TAB> 0.27 <TAB> 1.2-8.6 mIU/ml"). Else it is judged against
kg/resources/lab_reference.tsv, only when its unit is one of the row's units and the test is not written after a
specimen word ("urine creatinine": kg/resources/lab_words.tsv); that table's bounds hold at every age and sex past
the neonatal period, so a result is called abnormal from it only when it is abnormal for any patient. A direction
is read only where the table gives it an HPO term.

The phenotype is a Finding mention spanning the test name through the value and unit (and the interval written
after them): the evidence a curator reads, and what MACCROBAT annotates as Diagnostic_procedure + Lab_value.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple, Sequence

from kg.errors import ResourceError
from kg.extract.normalize import normalize_for_matching, parse_number
from kg.extract.concepts import _MEASURED, Match
from kg.model import Concept, Sentence
from kg.resources import load_tsv, resource_path

LAB_SCOPE = 8  # tokens after a lab test name in which its value is read
UNIT_REACH = 60  # characters after a value in which its unit may start (after spaces)
DIGIT_REACH = 80  # characters after a lab test name in which a digit must be written for its value to be read
INTERVAL_REACH = 80  # characters after a value and unit in which a written reference interval is read

# a number: thousands in groups of three ("12,500"), "." or "/" as decimal separator (Persian writes "۹/۹");
# not part of a longer run of digits and letters or a date ("12/3/2019"), except a multiplier written on it
# ("15x10^9/L")
_VALUE = re.compile(r"(?<![\w/.])([+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:[./]\d+)?)"
                    r"(?:(?=[x×]\s*10)|(?!\w*\d|/\d))")
_CONCEPT, _TYPE = itemgetter(2), attrgetter("type")
_DIGIT = re.compile(r"\d")
_SENTENCE_STOP = re.compile(r"[.;]\s")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
# what a writer puts before a reference interval; the interval itself: "a-b", "a to b", "< b", "> a", "up to b"
_LABEL = (r"(?:(?:the\s+)?(?:normal|reference|ref|nv|n|rr|nr|ri|range|laboratory\s+normal)\b\.?"
          r"(?:\s*(?:range|ranges|value|values|values?\s+for\s+age|interval|limits?|levels?|laboratory\s+range))?"
          r"\s*(?:[:=]|is|was|of|,)?\s*)")
_BODY = (rf"(?:(?P<lo>{_NUM})\s*(?:-|to|and)\s*(?P<hi>{_NUM})"
         rf"|(?P<op><=|>=|[<>≤≥]|up\s+to|less\s+than|below|under|greater\s+than|above|over)\s*(?P<lim>{_NUM}))")
_INTERVAL = re.compile(rf"\s*(?:[(\[{{]\s*{_LABEL}?|[,;]?\s*{_LABEL}){_BODY}")
_CELL_INTERVAL = re.compile(rf"\s*{_LABEL}?{_BODY}\s*(?P<unit>\S.*)?$")
_BELOW = ("<", "≤", "<=", "up to", "less than", "below", "under")
_VALUE_BELOW = ("<", "≤", "<=", "less than", "below", "under")  # "up to 2726 U/L" is the value reached
_VALUE_ABOVE = (">", "≥", ">=", "=>", "more than", "greater than", "above", "over")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)\b")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")
_INTERVAL_WORDS = re.compile(r"\b(?:normal|reference|ref|range|upper|lower|limit|nv)\b")
_COMPOUND = re.compile(r"-[^\W\d_]")
_LETTER = re.compile(r"[^\W\d_]")
_BARE_END = re.compile(r"\s*(?:[^\s()\[\]{}]+\s*){0,3}[)\]}]")  # "(70-400)", "(12-16 g/dL)", "(3.5-9.5 × 10^9/L)"
_NOT_UNIT = re.compile(r"\b(?:days?|weeks?|months?|years?|hours?|h|hrs?|min|minutes?|times|fold|patients?|cases?)\b")
_CLOSE = re.compile(r"[^()\[\]{}\n]{0,12}?[)\]}]")  # the end of the bracket an interval is written in
_ABBREVIATED = re.compile(r"\s*[(\[]\s*")  # between a name and its abbreviation: "aspartate aminotransferase (AST"
_NOT_NAME = re.compile(r"[\W_]+")


class Value(NamedTuple):
    """A result read after a lab test name: the number, its unit ("" when none is written), where the number
    starts and ends, where the unit ends (the number's end without one), and "<" / ">" when the number is written
    as a bound ("< 0.1", "> 1000")."""

    value: float
    unit: str
    start: int
    end: int
    unit_end: int
    bound: str = ""


class LabReference(NamedTuple):
    """A test's HPO terms ("-" when a direction has none) and its table bounds per unit: (low, high), None for a
    direction not read from the table."""

    high_hpo: str
    low_hpo: str
    bounds: dict[str, tuple[float | None, float | None]]


@lru_cache(maxsize=1)
def unit_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One regex over every unit form, longest first; spaces in a form match any whitespace (PDF line breaks)."""
    rows = load_tsv(resource_path("units.tsv"), ("surface", "unit"))
    forms = {" ".join(normalize_for_matching(r["surface"]).split()): r["unit"] for r in rows}
    return re.compile(rf"\s*({_alternation(forms)})(?![^\W\d_])"), forms


def _alternation(forms) -> str:
    """The unit forms as one regex alternation, longest first."""
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f)))


def read_value(tokens, end: int, sentence_end: int, stop: int) -> Value | None:
    """The first number within LAB_SCOPE tokens after offset ``end`` (a lab test name's end) and before ``stop``
    (the next lab test), not after a sentence stop, and the unit written right after it. A number that is a time
    or a count ("at 11 years", "on day 3": kg/resources/lab_words.tsv) is passed over."""
    norm = tokens.normalized
    starts, ends = tokens.starts, tokens.ends
    t0 = tokens.index_at(end)
    limit_tok = min(t0 + LAB_SCOPE, tokens.index_at(sentence_end))
    limit = ends[limit_tok - 1] if limit_tok > t0 and limit_tok - 1 < len(starts) else end
    window_end = min(limit, sentence_end, stop)
    if window_end <= end:
        return None
    words = lab_words()
    for vm in _VALUE.finditer(norm, end, window_end):
        if _SENTENCE_STOP.search(norm, end, vm.start()):
            return None
        after = _WORD_AFTER.match(norm, vm.end(), window_end)
        before = _WORD_BEFORE.search(norm, max(end, vm.start() - 16), vm.start())
        if (after and after.group(1) in words["time_after"]) or (before and before.group(1) in words["time_before"]):
            continue
        value = parse_number(tokens.text[vm.start(1):vm.end(1)])
        if value is None:
            return None
        written = norm[max(end, vm.start() - 12):vm.start()].rstrip()
        bound = "<" if written.endswith(_VALUE_BELOW) else ">" if written.endswith(_VALUE_ABOVE) else ""
        pattern, forms = unit_pattern()
        um = pattern.match(norm, vm.end(), vm.end() + UNIT_REACH)
        if um:
            return Value(value, forms[" ".join(um.group(1).split())], vm.start(1), vm.end(1), um.end(), bound)
        return Value(value, "", vm.start(1), vm.end(1), vm.end(), bound)
    return None


@lru_cache(maxsize=1)
def _header_pattern() -> re.Pattern:
    """What a table row or a sentence may write between a test's name and its value: the unit (", g/dl", "(g/L):")
    or a labelled reference interval with its unit ("(nv 0-170 U/L)")."""
    unit = rf"(?:{_alternation(unit_pattern()[1])})(?![^\W\d_])"
    return re.compile(rf"\s*(?:,\s*(?P<unit>{unit})"
                      rf"|[(\[{{]\s*(?:(?P<bunit>{unit})|{_LABEL}{_BODY}\s*(?P<iunit>{unit})?)\s*[)\]}}])\s*:?")


def _unit_form(written: str) -> str:
    """The normalised unit of a unit form written in the text ("" for none)."""
    return unit_pattern()[1].get(" ".join(written.split()), "") if written else ""


@lru_cache(maxsize=1)
def reference_table() -> dict[str, LabReference]:
    """kg/resources/lab_reference.tsv, loaded once (``load_reference_table``)."""
    return load_reference_table(resource_path("lab_reference.tsv"))


def load_reference_table(path: Path) -> dict[str, LabReference]:
    """A reference interval table as {test name (``name_key`` form): LabReference}; ResourceError for a bound that
    is no number, a low bound not below the high one, a bound without an HPO term for its direction, bounds
    without a unit, an HPO term that is no HP id, two HPO terms for one direction of a test, or a test and unit
    given twice."""
    rows = load_tsv(path, ("test", "unit", "low", "high", "high_hpo", "low_hpo", "source"))
    table: dict[str, LabReference] = {}
    for n, r in enumerate(rows, start=1):
        where = f"{path}: row {n} ({r['test'].split('|')[0]} {r['unit']})"
        low, high = (_bound(r[k], where) for k in ("low", "high"))
        for bound, hpo in ((low, r["low_hpo"]), (high, r["high_hpo"])):
            if bound is not None and hpo == "-":
                raise ResourceError(f"{where}: a bound needs an HPO term for its direction")
            if hpo != "-" and not re.fullmatch(r"HP:\d{7}", hpo):
                raise ResourceError(f"{where}: {hpo!r} is not an HPO id")
        if low is not None and high is not None and low >= high:
            raise ResourceError(f"{where}: low bound {low} is not below high bound {high}")
        if r["unit"] == "-" and (low is not None or high is not None):
            raise ResourceError(f"{where}: bounds need a unit")
        for name in sorted({name_key(t) for t in r["test"].split("|") if t.strip()}):
            ref = table.get(name) or LabReference("-", "-", {})
            hpos = []
            for mine, theirs in ((r["high_hpo"], ref.high_hpo), (r["low_hpo"], ref.low_hpo)):
                if mine != "-" and theirs != "-" and mine != theirs:
                    raise ResourceError(f"{where}: test {name!r} has {theirs} for that direction already")
                hpos.append(theirs if mine == "-" else mine)
            table[name] = ref = LabReference(hpos[0], hpos[1], ref.bounds)
            for unit in r["unit"].split("|") if r["unit"] != "-" else ():
                if unit in ref.bounds:
                    raise ResourceError(f"{where}: test {name!r} in {unit} given twice")
                ref.bounds[unit] = (low, high)
    return table


def _bound(cell: str, where: str) -> float | None:
    if cell == "-":
        return None
    try:
        return float(cell)
    except ValueError:
        raise ResourceError(f"{where}: bound {cell!r} is not a number") from None


@lru_cache(maxsize=1)
def lab_words() -> dict[str, frozenset[str]]:
    """kg/resources/lab_words.tsv: {role: words}."""
    roles = ("specimen", "time_after", "time_before", "up", "down", "blood", "quantity", "copula", "not_result")
    rows = load_tsv(resource_path("lab_words.tsv"), ("word", "role"), allowed={"role": set(roles)})
    return {role: frozenset(normalize_for_matching(r["word"]) for r in rows if r["role"] == role) for role in roles}


@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """A test name as the table compares it: lower-cased, punctuation as single spaces."""
    return _NOT_NAME.sub(" ", normalize_for_matching(text)).strip()


def written_interval(norm: str, pos: int, limit: int) -> tuple[float | None, float | None, int] | None:
    """The reference interval written at ``norm[pos:]`` (before ``limit``): (low, high, end), a bound None when
    only the other is written ("< 170"); None when there is none. An interval without a label ("(70-400)") is one
    only when its bracket closes after it, at most a unit between ("(1-2 days later)" is no interval)."""
    im = _INTERVAL.match(norm, pos, min(limit, pos + INTERVAL_REACH))
    if not im:
        return None
    body = im.start("lo") if im.group("lo") is not None else im.start("op")
    if not _LETTER.search(norm, im.start(), body):
        end = _BARE_END.match(norm, im.end(), limit)
        if not end or _NOT_UNIT.search(norm, im.end(), end.end()):
            return None
    return _interval_bounds(im) + (im.end(),)


def _interval_bounds(im: re.Match) -> tuple[float | None, float | None]:
    if im.group("lo") is not None:
        lo, hi = _number(im.group("lo")), _number(im.group("hi"))
        return (lo, hi) if lo is not None and hi is not None and lo < hi else (None, None)
    lim = _number(im.group("lim"))
    return (None, lim) if im.group("op").startswith(_BELOW) else (lim, None)


def _number(s: str) -> float | None:
    """A bound of an interval: "150,000" is a thousand-grouped number, "0,5" a decimal comma."""
    value = parse_number(s)
    return parse_number(s.replace(",", ".")) if value is None else value


def cell_interval(norm: str, line_end: int, pos: int) -> tuple[float | None, float | None, str] | None:
    """The reference interval in the last cell of the table row that ends at ``line_end`` (after offset ``pos``),
    with the unit written after it ("" when none): (low, high, unit)."""
    cell_start = norm.rfind("\t", pos, line_end)
    if cell_start < 0:
        return None
    cm = _CELL_INTERVAL.match(norm, cell_start + 1, line_end)
    if not cm:
        return None
    unit = ""
    if cm.group("unit"):
        pattern, forms = unit_pattern()
        um = pattern.fullmatch(cm.group("unit").rstrip())
        if not um:
            return None
        unit = forms[" ".join(um.group(1).split())]
    low, high = _interval_bounds(cm)
    return low, high, unit


def direction(v: Value, low: float | None, high: float | None) -> str:
    """"high", "low" or "" (within the interval, or a bound that does not settle it: "< 5" against 4-11)."""
    if high is not None and v.value > high and v.bound != "<":
        return "high"
    if low is not None and v.value < low and v.bound != ">":
        return "low"
    if high is not None and v.value == high and v.bound == ">":
        return "high"
    if low is not None and v.value == low and v.bound == "<":
        return "low"
    return ""


def judge(tokens, name_start: int, name_end: int, name: str, sentence: Sentence, stop: int
          ) -> tuple[str, int] | None:
    """(HPO id, end of the evidence: the value and unit, or the reference interval written after them) for the
    lab test ``name`` (``name_key`` form, a key of the reference table) written at
    ``name_start:name_end`` when its value is abnormal; None when no value is read or it is not abnormal.
    ``stop``: where the next lab test starts. A unit or a reference interval may be written between the name and
    the value, as table rows do ("Hemoglobin, g/dl <TAB> 15.4", "CK (nv 0-170 U/L) <TAB> 799")."""
    norm = tokens.normalized
    if _COMPOUND.match(norm, name_end):
        return None  # another test named on this one: "CK-MB"
    pos, unit, low, high = name_end, "", None, None
    hm = _header_pattern().match(norm, name_end, stop)
    if hm:
        pos = hm.end()
        unit = _unit_form(hm.group("unit") or hm.group("bunit") or hm.group("iunit") or "")
        if hm.group("lo") is not None or hm.group("lim") is not None:
            low, high = _interval_bounds(hm)
    v = read_value(tokens, pos, sentence.end, stop)
    if v is None:
        return None
    if _INTERVAL_WORDS.search(norm, pos, v.start):
        return None  # the number is a bound of an interval written before the result ("CK (normal < 170) ...")
    if v.unit:
        if unit and unit != v.unit:
            return None
        unit = v.unit
    ref = reference_table()[name]
    end = v.unit_end
    interval = written_interval(norm, v.unit_end, sentence.end)
    if interval is not None:
        low, high, end = interval
    elif low is None and high is None and "\t" in sentence.text:
        line_end = norm.find("\n", v.end, sentence.end)
        cell = cell_interval(norm, sentence.end if line_end < 0 else line_end, v.unit_end)
        if cell is not None and (not unit or not cell[2] or cell[2] == unit):
            low, high, _ = cell
    if low is None and high is None:
        if unit not in ref.bounds or _after_specimen(tokens, name_start):
            return None
        low, high = ref.bounds[unit]
    side = direction(v, low, high)
    hpo = ref.high_hpo if side == "high" else ref.low_hpo if side == "low" else "-"
    return (hpo, end) if hpo != "-" else None


def _after_specimen(tokens, start: int) -> bool:
    """True when one of the two words before a test name names a specimen other than blood ("urine creatinine")."""
    i = tokens.index_at(start)
    return _of_specimen(tokens.words, i, i, lab_words()["specimen"])


def _of_specimen(words: list[str], first: int, last: int, specimens: frozenset[str]) -> bool:
    """True when a specimen other than blood is named by the two words before tokens ``first:last`` or by one of
    them ("urine creatinine", "urinary calcium")."""
    return not specimens.isdisjoint(words[max(0, first - 2):last])


def with_lab_findings(lexicon, tokens, sentences: Sequence[Sentence], rows: list[tuple]) -> list[tuple]:
    """``rows`` (the pipeline's mention tuples ``(start, end, concept, negated, historical, uncertain, subject,
    section, sentence index)``) with a Finding row after each lab test row whose result is abnormal (the same
    list when there is none): a test that is not negated and whose name the reference table lists, whose
    sentence does not name that phenotype, or a more specific one, already ("anaemia (haemoglobin 7.8 g/dL)").
    The finding takes the test's context attributes; its span runs from the test's name (the full name when the
    test is written "name (ABBR) value") through the value and unit or the interval written after them, and the
    bracket they open. Only tests with a digit written soon after them are read."""
    table = reference_table()
    text, norm = tokens.text, tokens.normalized
    is_lab = map("LabTest".__eq__, map(_TYPE, map(_CONCEPT, rows)))
    labs = [(i, rows[i]) for i in compress(range(len(rows)), is_lab)]
    found: dict[int, tuple] = {}
    for k, (i, (start, end, _, negated, historical, uncertain, subject, section, si)) in enumerate(labs):
        if negated:
            continue
        sentence = sentences[si]
        nxt = labs[k + 1][1] if k + 1 < len(labs) else None
        stop = nxt[0] if nxt is not None and nxt[8] == si else sentence.end
        if not _DIGIT.search(norm, end, min(stop, end + DIGIT_REACH)):
            continue
        name = name_key(text[start:end])
        if name not in table:
            continue
        judged = judge(tokens, start, end, name, sentence, stop)
        if judged is None:
            continue
        hpo, vend = judged
        concept = _concept(lexicon, hpo)
        if _named(lexicon, rows, i, concept.curie):
            continue
        prev = labs[k - 1][1] if k else None
        if prev is not None and prev[8] == si and _ABBREVIATED.fullmatch(text, prev[1], start):
            start = prev[0]
        written = text[start:vend]
        if any(written.count(a) > written.count(b) for a, b in ("()", "[]", "{}")):
            close = _CLOSE.match(text, vend, sentence.end)
            vend = close.end() if close else vend
        found[i] = (start, vend, concept, False, historical, uncertain, subject, section, si)
    if not found:
        return rows
    out: list[tuple] = []
    last = 0
    for i, row in found.items():
        out += rows[last:i + 1]
        out.append(row)
        last = i + 1
    out += rows[last:]
    return out


@lru_cache(maxsize=1)
def _worded_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset[str], frozenset[str]]:
    """(direction written before a test, direction written after one, the words a list of tests may hold between
    two of them, the direction words, the copulas), from the up / down / blood / quantity / copula words of
    kg/resources/lab_words.tsv."""
    words = lab_words()

    def alt(*roles: str) -> str:
        return "|".join(re.escape(w) for w in sorted({w for r in roles for w in words[r]}, key=lambda w: (-len(w), w)))

    blood, quantity = alt("blood"), alt("quantity")
    before = re.compile(rf"(?<![\w-])(?:(?P<up>{alt('up')})|{alt('down')})\s+(?:(?:{blood})\s+)?"
                        rf"(?:(?:{quantity})\s+of\s+(?:the\s+)?(?:(?:{blood})\s+)?)?$")
    after = re.compile(rf"[\s)]*(?:\([^()]{{0,40}}\)\s*)?(?:(?:{quantity})\s+)?(?:{alt('copula')})\s+"
                       rf"(?:(?:\w+ly|also|still|both)\s+)?(?:(?P<up>{alt('up')})|{alt('down')})(?![\w-])")
    gap = re.compile(rf"[\s,()]*(?:\([^()]{{0,40}}\)[\s,()]*)*(?:(?:and/or|and|or|as well as)\s+)?"
                     rf"(?:(?:{blood}|the)\s+)*")
    return before, after, gap, words["up"] | words["down"], words["copula"]


def worded_results(lexicon, tokens, matches: list[Match], first_word: int, last_word: int) -> list[Match]:
    """``matches`` (one sentence's, in text order; ``first_word``, ``last_word``: its first token and the one after
    its last) with a Finding match after each lab test whose result the sentence states in words: a direction
    before the test or before a list of tests ("increased level of AST, ALT, LDH", "low platelets") or after it and
    a copula ("AST and ALT levels were elevated"). The phenotype is the reference table's term for that direction
    (kg/resources/lab_reference.tsv). The first test of a list (the last, for a direction written after it) spans
    the direction words too.

    None is added for a test the table does not list or lists without a term for that direction, a test of a
    specimen other than blood ("urinary calcium was high", "urinalysis revealed increased potassium"), a test that
    modifies the noun after it ("increased glucose uptake"), a test inside a phenotype match ("elevated serum
    creatinine"), a phenotype the sentence names already, or an abbreviation in brackets after its test's name
    ("lactate dehydrogenase (LDH)" is one result), or a direction written with its value ("were reduced to 6.99 ×
    10⁹/l", ``concepts._MEASURED``: the laboratory stage reads the value against its reference interval). A
    phenotype match of a blood test term written for another specimen ("urinary calcium was increased") is
    dropped. The same list when nothing changes."""
    labs = [m for m in matches if m.concept.type == "LabTest"]
    if not labs:
        return matches
    before, after, gap, directions, copulas = _worded_patterns()
    sentence_words = tokens.words
    if directions.isdisjoint(sentence_words[first_word:last_word]):
        return matches
    words = lab_words()
    specimens, blood = words["specimen"], words["blood"]
    blood_terms = _blood_phenotypes(lexicon)
    if any(m.concept.curie in blood_terms and _of_specimen(sentence_words, m.first_token, m.last_token, specimens)
           for m in matches):
        matches = [m for m in matches if m.concept.curie not in blood_terms
                   or not _of_specimen(sentence_words, m.first_token, m.last_token, specimens)]
    norm = tokens.normalized
    chains: list[list[Match]] = []
    for m in labs:
        if chains and m.start < chains[-1][-1].end:
            continue
        if chains and gap.fullmatch(norm, chains[-1][-1].end, m.start):
            chains[-1].append(m)
        else:
            chains.append([m])
    table = reference_table()
    found: dict[int, Match] = {}
    phenotypes = [m for m in matches if m.concept.curie.startswith("HP:")]
    named = {p.concept.curie for p in phenotypes}
    for chain in chains:
        head, tail = chain[0], chain[-1]
        cue = cue_after = None
        if not directions.isdisjoint(sentence_words[max(first_word, head.first_token - 6):head.first_token]):
            cue = before.search(norm, max(0, head.start - 60), head.start)
        after_tail = sentence_words[tail.last_token:min(last_word, tail.last_token + 12)]
        if cue is None and not copulas.isdisjoint(after_tail):
            cue_after = after.match(norm, tail.end)
        if cue is None and cue_after is None or after_tail and after_tail[0] in words["not_result"]:
            continue
        if cue_after is not None and _MEASURED.match(norm, cue_after.end()):
            continue  # "were reduced to 6.99×10⁹/l": the value is the laboratory stage's to read
        if _specimen_before(sentence_words, first_word, head.first_token, specimens, blood):
            continue
        up = (cue or cue_after).group("up") is not None
        for k, m in enumerate(chain):
            if k and _ABBREVIATED.fullmatch(norm, chain[k - 1].end, m.start):
                continue
            ref = table.get(name_key(tokens.text[m.start:m.end])) or table.get(name_key(m.concept.label))
            hpo = ref and (ref.high_hpo if up else ref.low_hpo)
            if not hpo or hpo == "-":
                continue
            concept = _concept(lexicon, hpo)
            if concept.curie in named or any(p.start < m.end and m.start < p.end for p in phenotypes) \
                    or _of_specimen(sentence_words, m.first_token, m.last_token, specimens):
                continue
            named.add(concept.curie)
            span = [m.start, m.end, m.first_token, m.last_token]
            if cue is not None and m is head:
                span[0], span[2] = cue.start(), tokens.index_at(cue.start())
            elif cue_after is not None and m is tail:
                span[1], span[3] = cue_after.end(), tokens.index_at(cue_after.end())
            found[id(m)] = Match(span[0], span[1], concept, span[2], span[3])
    if not found:
        return matches
    out: list[Match] = []
    for m in matches:
        out.append(m)
        if id(m) in found:
            out.append(found[id(m)])
    return out


@lru_cache(maxsize=2)
def _blood_phenotypes(lexicon) -> frozenset[str]:
    """The HPO terms of lab_reference.tsv (under their current ids): phenotypes of blood tests."""
    return frozenset(lexicon.current_id(h) for ref in reference_table().values() for h in (ref.high_hpo, ref.low_hpo)
                     if h != "-")


def _specimen_before(words: list[str], first: int, head: int, specimens: frozenset[str], blood: frozenset[str]
                     ) -> bool:
    """True when a word of the sentence before token ``head`` (from token ``first``) names a specimen other than
    blood and no blood word follows it: "the urinalysis revealed a high pH and increased level of potassium"."""
    for w in reversed(words[first:head]):
        if w in blood:
            return False
        if w in specimens:
            return True
    return False


def _named(lexicon, rows: list[tuple], i: int, curie: str) -> bool:
    """True when the sentence of row ``i`` has an affirmed row of ``curie`` or of a more specific phenotype
    ("hypochromic anemia (Hb 10.9 g/dL)"); a sentence's rows are consecutive."""
    si = rows[i][8]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(rows) and rows[j][8] == si:
            other = rows[j][2].curie
            if not rows[j][3] and (other == curie or other.startswith("HP:") and curie in lexicon.ancestors(other)):
                return True
            j += step
    return False


def _concept(lexicon, hpo: str) -> Concept:
    """The lexicon's concept of a table's HPO term (under its current id); ResourceError when it has none."""
    concept = lexicon.concepts.get(lexicon.current_id(hpo))
    if concept is None:
        raise ResourceError(f"{resource_path('lab_reference.tsv')}: {hpo} is not in the lexicon")
    return concept
