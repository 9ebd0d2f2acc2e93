"""The extraction pipeline: Document -> Extraction. Loads the lexicon once; every stage is a pure function."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import Sequence

from kg.extract import citations, claims, context, demographics, drugs, labs, relations
from kg.extract.concepts import GROUPS, Match, Tokens, recognize
from kg.extract.language import detect_language, main_language
from kg.extract.lexicon import Lexicon
from kg.extract.metadata import extract_metadata, extract_title
from kg.extract.normalize import IGNORABLE, normalize_for_matching
from kg.extract.references import count_references, split_reference_list
from kg.extract.sections import find_sections, individual_leads, individual_mentions, individual_number
from kg.extract.sentences import split_sentences
from kg.model import (Concept, Document, Evidence, Extraction, Mention, Metadata, Patient, Section, Sentence)
from kg.resources import load_tsv, resource_path

NO_MENTIONS = {"references", "keywords", "acknowledgements", "front"}
DEMOGRAPHIC_KINDS = ("case", "abstract", "title", "figure", "results", "other")
_DEMOGRAPHIC_KIND_SET = frozenset(DEMOGRAPHIC_KINDS)
_ROW_ORDER = itemgetter("start", "end", "type", "id")  # the order of annotate's rows
_START = attrgetter("start")
_MATCH_TYPE = attrgetter("concept.type")
_MATCH_CURIE = attrgetter("concept.curie")
_ALTERNATIVES = frozenset({"or", "nor"})  # a list of alternatives: "no A, B, C or D" (``_listed``)


class Pipeline:
    """Holds the loaded lexicon; ``extract`` and ``annotate`` may be called for many documents."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    @classmethod
    def load(cls) -> "Pipeline":
        return cls(Lexicon.load())

    # ------------------------------------------------------------------ public
    def concepts_in(self, text: str) -> list[Concept]:
        """Concepts named in a short string (a reference title), in order, without duplicates."""
        seen: list[Concept] = []
        for m in recognize(self.lexicon, Tokens(text)):
            if m.concept not in seen:
                seen.append(m.concept)
        return seen

    def extract(self, doc: Document) -> Extraction:
        text = doc.text
        sections = doc.sections or find_sections(text)
        metadata = _merge_metadata(doc.metadata, extract_metadata(text, sections) if doc.format != "jats" else Metadata())
        language = metadata.language or main_language([(s.kind, text[s.start:s.end]) for s in sections]) or "en"
        metadata = replace(metadata, language=language)
        sentences = split_sentences(text, [s for s in sections if s.kind != "references"])
        sentences = _with_title(text, metadata.title, sentences)
        references = doc.references or _references(text, sections)
        normalized = normalize_for_matching(text)
        markers = _markers(doc, text, sections, references, normalized)
        tokens = Tokens(text, normalized)
        mentions = self._mentions(tokens, sentences, markers)
        patient = _patient(doc.doc_id, text, sentences, normalized, tokens)
        observations = relations.observations(doc.doc_id, tokens, sentences, mentions)
        contexts = citations.contexts(doc.doc_id, sentences, markers, mentions)
        main_condition = _main_condition(mentions)
        treatment_claims = claims.extract_claims(doc.doc_id, sentences, mentions, markers, references,
                                                 self.concepts_in, main_condition)
        return Extraction(document=doc, metadata=metadata, sections=tuple(sections), sentences=tuple(sentences),
                          mentions=tuple(mentions), patient=patient, observations=observations,
                          references=tuple(references), citation_contexts=tuple(contexts),
                          claims=tuple(treatment_claims))

    def annotate(self, doc: Document, lab_findings: bool = False) -> list[dict]:
        """Mentions as the JSON objects of ``kg annotate`` (CONTRACT.md), in text order, with the patient's age
        and sex as one Age and one Sex row (the spans the patient's values were read from).

        A mention is what the text names. The phenotypes that abnormal lab numbers imply ("creatinine 2.8 mg/dl":
        Elevated serum creatinine; ``labs``) are read into the graph, but listed here only with ``lab_findings``
        (``kg annotate --lab-findings``): the text names a test and a value, not the phenotype, and mention
        corpora such as MACCROBAT annotate them so.

        The same mentions as ``extract(doc).mentions`` (with ``lab_findings``; same sections, title, sentences,
        citation markers and context), without the stages whose output annotate does not show (the language of the document, its
        sections and sentences; observations; claims) and without building Mention objects. The text is
        normalised once, for the citation markers and the tokens."""
        text = doc.text
        sections = doc.sections or find_sections(text, languages=False)
        title = doc.metadata.title or (extract_title(text, sections) if doc.format != "jats" else "")
        sentences = _with_title(text, title, split_sentences(text, [s for s in sections if s.kind != "references"]),
                                languages=False)
        normalized = normalize_for_matching(text)
        markers = _markers(doc, text, sections, normalized=normalized)
        tokens = Tokens(text, normalized)
        rows = [{"start": start, "end": end, "text": text[start:end], "id": concept.curie, "label": concept.label,
                 "type": concept.type, "negated": negated, "subject": subject, "section": section,
                 "historical": historical, "uncertain": uncertain}
                for start, end, concept, negated, historical, uncertain, subject, section, _
                in self._mention_rows(tokens, sentences, markers, lab_findings)]
        for kind, (value, cue, sentence) in zip(("Age", "Sex"), _patient_cues(text, sentences, normalized, tokens)):
            if cue is not None:
                rows.append({"start": cue.start, "end": cue.end, "text": text[cue.start:cue.end], "id": "",
                             "label": "" if value is None else str(value), "type": kind, "negated": False,
                             "subject": "patient", "section": sentence.section, "historical": False,
                             "uncertain": False})
        rows.sort(key=_ROW_ORDER)
        return rows

    # ------------------------------------------------------------------ stages
    def _mentions(self, tokens: Tokens, sentences: Sequence[Sentence], markers) -> list[Mention]:
        """The mentions of ``_mention_rows`` as Mention objects (for ``extract``)."""
        text = tokens.text
        return [Mention(start=start, end=end, text=text[start:end], concept=concept, negated=negated,
                        historical=historical, uncertain=uncertain, subject=subject, section=section, sentence=si)
                for start, end, concept, negated, historical, uncertain, subject, section, si
                in self._mention_rows(tokens, sentences, markers)]

    def _mention_rows(self, tokens: Tokens, sentences: Sequence[Sentence], markers, lab_findings: bool = True
                      ) -> list[tuple]:
        """Recognised concepts of every sentence with their ConText attributes and subject, as tuples
        ``(start, end, concept, negated, historical, uncertain, subject, section, sentence index)`` (``annotate``
        turns them into rows without building a Mention each). The subject is the sentence's
        (``context.sentence_subject``, given the subject of the sentence before it in the same section); a table
        row takes the subject of its table's caption when that caption names reported cases, and a finding whose
        row says "No" for every patient is negated. Triggers and subjects are read only for sentences with a
        match. With ``lab_findings``, a lab test with an abnormal value is followed by its phenotype
        (``labs.with_lab_findings``)."""
        out: list[tuple] = []
        token_starts, token_keys = tokens.starts, tokens.keys
        marker_starts = sorted(m.start for m in markers)
        subjects: dict[int, str] = {}
        others: list[tuple] = []  # ``_individuals``, read at the first sentence about the patient
        captions: dict[tuple[int, int], str | None] = {}
        caption_at: dict[int, tuple[int, int]] = {}  # line start -> caption span (``context.table_caption``)
        rows: dict[int, tuple[str, tuple | None]] = {}  # table row start -> its subject, its table's index header
        headers: dict[tuple[int, int], tuple[int, int] | None] = {}  # caption -> ``_index_header``
        text = tokens.text
        lexicon = self.lexicon
        pronouns, background = context.PRONOUNS, context.BACKGROUND
        outside: list[int] = []  # the first row of each sentence outside the patient's record (``_corroborated``)
        record: set[str] = set()  # the concepts affirmed for the patient in the record
        qualities = tokens.quality_positions

        def subject_of(si: int, first: int, keys: list[str], starts: list[int], cues: list[tuple]) -> str:
            """The subject of sentence ``si`` (read once; ``starts``: its ``context.cue_starts``, ``cues``: its
            subject cues from ``context.sentence_cues``, read again when a pronoun in capitals changes its keys).
            It does not call itself: a closure that did would be a reference cycle, keeping the text's token lists
            alive until the garbage collector runs."""
            if si in subjects:
                return subjects[si]
            s = sentences[si]
            subject_keys = _subject_keys(tokens, first, keys, starts)
            if subject_keys is not keys:
                keys, cues = subject_keys, None
            before = None
            if si > 0 and keys and keys[0] in pronouns and s.section_kind in background \
                    and sentences[si - 1].section == s.section:
                before = subjects.get(si - 1)  # only read when a pronoun opens a background sentence
                if before is None:  # read on its own (without the sentence before it)
                    p = sentences[si - 1]
                    p_first = bisect_left(token_starts, p.start)
                    p_keys = _subject_keys(tokens, p_first, token_keys[p_first:bisect_left(token_starts, p.end)])
                    before = context.sentence_subject(p_keys, p.section_kind, _has_marker(marker_starts, p), None)
            subject = context.sentence_subject(keys, s.section_kind, _has_marker(marker_starts, s), before, starts,
                                               cues)
            if subject == "patient":
                if not others:
                    others.extend(_individuals(text, sentences))
                if others[0] is not None and _about_another(s, *others[0]):
                    subject = "other"
            subjects[si] = subject
            return subject

        glossaries = _glossaries(text)
        tabs = "\t" in text
        for si, s in enumerate(sentences):
            if s.section_kind in NO_MENTIONS:
                continue
            matches: list[Match] = recognize(lexicon, tokens, s.start, s.end)
            if not matches:
                continue
            if glossaries and any(a < s.end and s.start < b for a, b in glossaries):
                matches = [m for m in matches if not any(a <= m.start < b for a, b in glossaries)]
                if not matches:
                    continue
            matches = drugs.drug_roles(lexicon, tokens, matches, s.start, s.end)
            if not matches:
                continue
            first, last = bisect_left(token_starts, s.start), bisect_left(token_starts, s.end)
            if bisect_left(qualities, first) != bisect_left(qualities, last) \
                    and "LabTest" in map(_MATCH_TYPE, matches):  # a direction word and a lab test
                matches = labs.worded_results(lexicon, tokens, matches, first, last)
            keys = token_keys[first:last]
            starts = context.cue_starts(keys)
            triggers, cues = context.sentence_cues(keys, starts)
            scopes = context.Scopes.of_triggers(triggers, keys)
            subject = subject_of(si, first, keys, starts, cues)
            named = None  # the numbered individuals the sentence names, when one is not the patient
            if subject == "patient" and others[1] is not None:
                named = _named_in(others[1], s.start, s.end)
            in_record = s.section_kind not in RECORD_ONLY_KINDS
            if not in_record:
                outside.append(len(out))
            table = "\t" in s.text or tabs and _in_table_line(text, s.start, s.end)
            section = s.section
            if not scopes.active and not table and named is None:  # every match takes the sentence's subject
                out.extend([(m.start, m.end, m.concept, False, False, False, subject, section, si) for m in matches])
                if in_record and subject == "patient":
                    record.update(map(_MATCH_CURIE, matches))
                continue
            listed = _listed(matches, first, last) \
                if scopes.active and len(matches) > 2 and not _ALTERNATIVES.isdisjoint(keys) else None
            for m in matches:
                attrs = scopes.attributes(m.first_token - first, m.last_token - first, listed)
                negated, m_subject = attrs.negated, subject
                if named is not None:
                    k = bisect_right(named[0], m.start) - 1
                    if k >= 0 and named[1][k]:
                        m_subject = "other"
                if table:
                    row_start = text.rfind("\n", 0, m.start) + 1
                    row_end = text.find("\n", m.end)
                    if row_end < 0:
                        row_end = len(text)
                    row = text[row_start:row_end]
                    if "\t" in row or _last_cell(text, row_start):
                        if row_start not in rows:
                            caption = context.table_caption(text, row_start, caption_at)
                            if caption not in captions:
                                captions[caption] = context.caption_subject(text[caption[0]:caption[1]],
                                                                            _line_keys(tokens, *caption))
                                headers[caption] = _index_header(text, caption)
                            rows[row_start] = (captions[caption] or context.line_subject(
                                row, s.section_kind, _line_keys(tokens, row_start, row_end)), headers[caption])
                        row_subject, header = rows[row_start]
                        reading = header and context.index_cell_reading(row, m.start - row_start, *header)
                        if reading:
                            negated = negated or reading[0]
                            m_subject = reading[1]
                        else:
                            negated = negated or context.table_row_negated(row, m.start - row_start)
                            m_subject = row_subject
                mention_subject = "family" if attrs.family else m_subject
                if attrs.hypothetical and mention_subject == "patient":
                    mention_subject = "other"
                out.append((m.start, m.end, m.concept, negated, attrs.historical, attrs.uncertain or attrs.hypothetical,
                            mention_subject, section, si))
                if in_record and mention_subject == "patient" and not negated:
                    record.add(m.concept.curie)
        if outside and record:
            out = _corroborated(lexicon, outside, record, out)
        return labs.with_lab_findings(lexicon, tokens, sentences, out) if lab_findings else out


def _individuals(text: str, sentences: Sequence[Sentence]) -> tuple[tuple | None, tuple | None]:
    """``(_other_individuals, _numbered_individuals)`` of a report, from one reading of its numbered case headings
    ("Patient 2", "Family 2") and paragraph leads ("Patient 2 is a Turkish girl ...", ``individual_leads``). The
    report's patient is the lowest-numbered individual these name ("Patient 1"; "Patient 2" when the report goes
    on from an earlier one with "Patient 2" and "Patient 3"), else the lowest that its case and results text
    names. The graph has one patient per report, as in a clinical table whose header names the index case."""
    titles = {title: individual_number(title) for title in {s.section for s in sentences if s.section_kind == "case"}}
    leads = individual_leads(text) if "\n" in text else []
    numbers = [n for n in titles.values() if n is not None] + [n for _, _, n in leads]
    named = [f for f in individual_mentions(text, 0, len(text))
             if not (_EXCEPTED.search(text, max(0, f[0] - 20), f[0]) and not _RELATIVE.match(text, f[1]))]
    first = min(numbers) if numbers else None
    if first is None and named:
        own = [(s.start, s.end) for s in sentences if s.section_kind in ("case", "results")]
        first = min((min(ns) for a, _, ns in named if any(x <= a < y for x, y in own)), default=None)
    if first is None:
        return None, None
    return _other_individuals(titles, leads, first), _numbered_individuals(named, first)


def _other_individuals(titles: dict[str, int | None], leads: list[tuple[int, int, int]], first: int
                       ) -> tuple[set[str], list[int], list[int]] | None:
    """Where a report speaks of another individual than its patient (number ``first``): ``(section titles, line
    starts, line ends)`` of the case sections and of the paragraphs (lines) that another numbered individual opens.
    None when there is none."""
    other_titles = {t for t, n in titles.items() if n is not None and n != first}
    other_leads = [(a, b) for a, b, n in leads if n != first]
    if not other_titles and not other_leads:
        return None
    return other_titles, [a for a, _ in other_leads], [b for _, b in other_leads]


_EXCEPTED = re.compile(r"(?i)\b(?:except|excepting|apart from|other than|but)(?:\s+for)?\s+$")
_RELATIVE = re.compile(r"(?i)\s*,?\s*(?:who|whose|with)\b")


def _numbered_individuals(named: list[tuple[int, int, frozenset[int]]], first: int
                          ) -> tuple[list[int], list[int], list[bool]] | None:
    """The numbered individuals that the running text names (``named``: "patient 6", "patients 3, 4, and 5";
    ``individual_mentions``) as ``(starts, ends, not the patient)``, for the patient's number ``first``.
    Individuals set apart ("all patients except for patients 5 and 7 had ...") are left out of ``named``: they are
    not the sentence's subject, unless a relative clause follows them ("except for patient 7, who has ...").
    None when every one named is the patient."""
    if all(first in ns for _, _, ns in named):
        return None
    return [a for a, _, _ in named], [b for _, b, _ in named], [first not in ns for _, _, ns in named]


def _named_in(numbered: tuple[list[int], list[int], list[bool]], start: int, end: int
              ) -> tuple[list[int], list[bool]] | None:
    """The ends and the "not the patient" flags of the numbered individuals named in ``[start, end)``: a mention
    belongs to the last one named before it ("Patients 3, 4, and 5 exhibited lumbar lordosis, and patient 6 had
    severe scoliosis"). None when the sentence names none that is not the patient."""
    starts, ends, other = numbered
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    if lo == hi or not any(other[lo:hi]):
        return None
    return ends[lo:hi], other[lo:hi]


def _about_another(s: Sentence, titles: set[str], starts: list[int], ends: list[int]) -> bool:
    """Whether sentence ``s`` lies in a section or a paragraph about another individual (``_other_individuals``)."""
    if s.section in titles:
        return True
    k = bisect_right(starts, s.start) - 1
    return k >= 0 and s.start < ends[k]


RECORD_ONLY_KINDS = frozenset({"introduction", "discussion", "conclusion", "title"})


def _corroborated(lexicon: Lexicon, outside: list[int], record: set[str], rows: list[tuple]) -> list[tuple]:
    """``_mention_rows``' rows with the patient's problems named only outside the patient's record checked against
    it. A finding or condition read as the patient's in a title, introduction, discussion or conclusion stays the
    patient's when the report's own sections (case, results, abstract, figures, tables) affirm for the patient
    the same concept or a descendant of it (the record is more specific); else it becomes ``other``. A record that
    is less specific does not corroborate: its "hypotonia" does not say "generalized hypotonia" (JAX dev split: 1
    of 7 such findings is in the gold).
    Discussions compare the patient with reported cases ("our patient, like the siblings of Agrawal et al., had
    delayed motor milestones") and titles name the syndrome, so a phenotype stated only there is seldom the
    patient's own (JAX dev split: 5 of 39 such findings are in the gold). ``outside``: the first row of each
    sentence in such a section; ``record``: the CURIEs the other sections affirm for the patient (a report
    without any keeps its rows as they are)."""
    doubtful = []
    for n in outside:
        si = rows[n][8] if n < len(rows) else -1
        while n < len(rows) and rows[n][8] == si:
            r = rows[n]
            if r[6] == "patient" and not r[3] and GROUPS.get(r[2].type) == "problem":
                doubtful.append(n)
            n += 1
    if not doubtful:
        return rows
    pending = {r[2].curie for r in map(rows.__getitem__, doubtful) if r[2].curie not in record}
    if pending:
        ancestors = lexicon.ancestors
        for curie in record:
            found = ancestors(curie)
            if not pending.isdisjoint(found):
                pending -= found
                if not pending:
                    break
    if not pending:
        return rows
    out = list(rows)
    for n in doubtful:
        row = rows[n]
        if row[2].curie in pending:
            out[n] = row[:6] + ("other",) + row[7:]
    return out


HEADER_ROWS = 3  # a table's header row is one of the first rows under its caption (a title row can come first)


def _in_table_line(text: str, start: int, end: int) -> bool:
    """Whether the line a sentence without a tab lies on holds one: a cell of a table row whose tab the sentence
    splitter left outside the sentence ("Short wide ribs" of the line "Short wide ribs<TAB>")."""
    line_end = text.find("\n", end)
    return text.find("\t", end, len(text) if line_end < 0 else line_end) >= 0 \
        or text.find("\t", text.rfind("\n", 0, start) + 1, start) >= 0


def _last_cell(text: str, row_start: int) -> bool:
    """Whether a line without a tab is the last cell of a table written one cell per line (each cell a line that
    ends with a tab; the table's last cell has none): the line just above it is such a cell."""
    if row_start < 2:
        return False
    above = text[text.rfind("\n", 0, row_start - 1) + 1:row_start - 1].rstrip("\r")
    return above.endswith("\t") and above.count("\t") == 1


def _index_header(text: str, caption: tuple[int, int]) -> tuple[int, int] | None:
    """(number of cells, index patient's column) of the header row under a table's caption (one of the first
    ``HEADER_ROWS`` lines after it), when that row names the index patient's column (``context.index_column``);
    else None."""
    start = caption[1] + 1 if caption[1] else 0
    for _ in range(HEADER_ROWS):
        end = text.find("\n", start)
        header = text[start:end if end >= 0 else len(text)]
        if "\t" not in header:
            return None
        column = context.index_column(header)
        if column is not None:
            return header.count("\t") + 1, column
        if end < 0:
            return None
        start = end + 1
    return None


def _subject_keys(tokens: Tokens, first: int, keys: list[str], starts: list[int] | None = None) -> list[str]:
    """A sentence's token keys (its first token ``first``) as ``context.sentence_subject`` reads them: a pronoun
    written in capitals ("HE", an abbreviation) is no pronoun. ``starts``: the sentence's ``context.cue_starts``."""
    pronouns = context.PRONOUNS
    if pronouns.isdisjoint(keys if starts is None else map(keys.__getitem__, starts)):
        return keys
    text, token_starts, token_ends = tokens.text, tokens.starts, tokens.ends
    capitals = [i for i in (range(len(keys)) if starts is None else starts)
                if keys[i] in pronouns and text[token_starts[first + i]:token_ends[first + i]].isupper()]
    if not capitals:
        return keys
    keys = list(keys)
    for i in capitals:
        keys[i] = "\x00"
    return keys


def _line_keys(tokens: Tokens, start: int, end: int) -> list[str]:
    """The token keys of a line of the text (``keys_of`` of it: no token crosses a line end), read from the
    text's tokens instead of tokenising the line again."""
    starts = tokens.starts
    return tokens.keys[bisect_left(starts, start):bisect_left(starts, end)]


def _has_marker(marker_starts: list[int], s: Sentence) -> bool:
    k = bisect_left(marker_starts, s.start)
    return k < len(marker_starts) and marker_starts[k] < s.end


def _markers(doc: Document, text: str, sections: Sequence[Section], references=None, normalized: str | None = None):
    """In-text citation markers of the body sections (the reader's own when it gave them); the text is
    normalised once for all sections (``normalized``: the caller's ``normalize_for_matching(text)``)."""
    if doc.markers:
        return doc.markers
    body = [s for s in sections if s.kind not in ("references", "front", "keywords")]
    if not body:
        return ()
    if references is not None or doc.references:
        count = len(references if references is not None else doc.references)
    else:
        count = sum(count_references(text, a, b) for a, b in _reference_bodies(text, sections))
    if normalized is None:
        normalized = normalize_for_matching(text)
    return tuple(m for s in body for m in citations.find_markers(text, s.start, s.end, max_ref=count or None,
                                                                  normalized=normalized))


def _run_demographics(text: str, run: list[Sentence], normalized: str | None, tokens: Tokens | None = None):
    """Age and sex cues of one run of consecutive sentences of a section, with their sentence: one scan (the cues
    are single words or short phrases that never cross a sentence end); a cue is kept only when it lies inside
    one sentence. ``tokens``: the text's tokens, whose words tell which cue words the run holds."""
    start, end = run[0].start, run[-1].end
    found = demographics.find_demographics(text, start, end, normalized, _region_words(tokens, start, end))
    if len(run) == 1:
        s = run[0]
        return [(d, s) for d in found if d.end <= s.end]
    out = []
    starts = [s.start for s in run]
    for d in found:
        k = bisect_right(starts, d.start) - 1
        if k >= 0 and d.end <= run[k].end:
            out.append((d, run[k]))
    return out


def _region_words(tokens: Tokens | None, start: int, end: int) -> list[str] | None:
    """The letter/digit runs of ``tokens.normalized[start:end]`` (a word cut by an edge of the region as its part
    inside, beside the whole word), read from the tokens (the tokens' own list when the region holds them all);
    None without tokens or when a token's word is not such a run (a text with ``IGNORABLE`` characters)."""
    if tokens is None or IGNORABLE in tokens.normalized:
        return None
    starts, ends, words = tokens.starts, tokens.ends, tokens.words
    i0, i1 = bisect_left(starts, start), bisect_left(starts, end)
    cut = []
    if i1 > i0 and ends[i1 - 1] > end:
        cut.append(tokens.normalized[starts[i1 - 1]:end])
    if i0 > 0 and ends[i0 - 1] > start:
        cut.append(tokens.normalized[start:min(ends[i0 - 1], end)])
    if cut or i0 > 0 or i1 < len(words):
        return words[i0:i1] + cut
    return words


def _merge_metadata(given: Metadata, found: Metadata) -> Metadata:
    """Fields the reader gave win; the text's front matter fills the rest."""
    fields = {}
    for name in Metadata.__dataclass_fields__:
        a, b = getattr(given, name), getattr(found, name)
        fields[name] = a if a else b
    return Metadata(**fields)


def _reference_bodies(text: str, sections: Sequence[Section]) -> list[tuple[int, int]]:
    """Spans of the reference sections without their heading line."""
    spans = []
    for s in sections:
        if s.kind == "references":
            body_start = text.find("\n", s.start)
            body_start = s.start if body_start < 0 or body_start > s.end else body_start + 1
            spans.append((body_start, s.end))
    return spans


def _references(text: str, sections: Sequence[Section]):
    return tuple(r for a, b in _reference_bodies(text, sections) for r in split_reference_list(text, a, b))


def _with_title(text: str, title: str, sentences: Sequence[Sentence], languages: bool = True) -> list[Sentence]:
    """The report title as a first pseudo-sentence (section "Title"): case report titles name the patient's problem.
    Without ``languages`` its language is left empty (``annotate`` does not show it). ``sentences``: those of
    ``split_sentences`` (in text order, not overlapping, indexed from 0), so only the one starting last before the
    title can hold it, and the title goes right after it. A front-matter sentence that starts with the title (a
    plain-text title line) becomes the Title sentence. A text that is one front-matter sentence ("brachydactyly",
    "She had a cleft palate.") is running text instead, whether or not it reads as a title."""
    out = list(sentences)
    if len(out) == 1 and out[0].section_kind == "front" and not text[:out[0].start].strip() \
            and not text[out[0].end:].strip():  # the whole text is one sentence: running text, title or not
        return [replace(out[0], section="", section_kind="other")]
    pos = text.find(title) if title else -1
    if pos < 0:
        return out
    k = bisect_right(out, pos, key=_START)
    if k and pos < out[k - 1].end:
        held = out[k - 1]
        if held.start == pos and held.section_kind == "front":  # a title line that is a sentence of its own
            out[k - 1] = replace(held, section="Title", section_kind="title")
        return out
    out.insert(k, Sentence(start=pos, end=pos + len(title), text=title, section="Title", section_kind="title",
                           language=detect_language(title) if languages else ""))
    return out[:k] + [s if s.index == i else replace(s, index=i) for i, s in enumerate(out[k:], k)]


def _patient(report: str, text: str, sentences: Sequence[Sentence], normalized: str | None = None,
             tokens: Tokens | None = None) -> Patient:
    """The patient's age and sex (``_patient_cues``) with the evidence they were read from."""
    (age, age_m, age_s), (sex, sex_m, sex_s) = _patient_cues(text, sentences, normalized, tokens)

    def ev(d, s):
        if d is None:
            return None
        return Evidence(report=report, section=s.section, sentence=s.text, start=d.start, end=d.end, language=s.language)

    return Patient(age_years=age, sex=sex, age_evidence=ev(age_m, age_s), sex_evidence=ev(sex_m, sex_s))


def _listed(matches: list[Match], first: int, last: int) -> list[int]:
    """Running counts of the tokens of a sentence (tokens ``first``..``last``) that lie in one of its matches, for
    ``context.Scopes.attributes``: read where the sentence lists alternatives ("or", "nor"), whose concepts do not
    use up a trigger's reach. An "and" list after a negation is as often a run of separate findings ("no sign of
    hemolysis, elevated CRP, low albumin and mild proteinuria")."""
    inside = bytearray(last - first)
    for m in matches:
        inside[m.first_token - first:m.last_token - first] = b"\x01" * (m.last_token - m.first_token)
    return list(accumulate(inside, initial=0))


def _glossaries(text: str) -> list[tuple[int, int]]:
    """The glossary lines of a text (from the lead of ``_glossary`` to the end of its line): they define short
    forms and assert no finding. Read where a lead's tail is found (C-level finds), not by a pass of the pattern."""
    pattern, tails, ascii_tails = _glossary()
    out = []
    for tail in ascii_tails if text.isascii() else tails:
        at = text.find(tail, 1)
        while at > 0:
            lead = k = at - 1
            while k > 0 and text[k - 1] in " \t":
                k -= 1
            if (k == 0 or text[k - 1] in "\n.") and pattern.match(text, lead):
                end = text.find("\n", lead)
                out.append((lead, len(text) if end < 0 else end))
            at = text.find(tail, at + 1)
    return sorted(set(out))


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern, frozenset[str], tuple[str, ...]]:
    """A glossary line's opening (kg/resources/glossary_leads.tsv): its lead words and a colon or a full stop, at
    the start of a line or after the full stop of a sentence on it ("... examined. Abbreviations: PF, ..."); and
    the leads without their first letter, in lower case, by which ``_glossaries`` finds them ("Abbreviations",
    "abbreviations"), all and the ASCII ones."""
    leads = sorted((r["lead"] for r in load_tsv(resource_path("glossary_leads.tsv"), ("lead", "language"))),
                   key=len, reverse=True)
    pattern = re.compile(r"(?:%s)[ \t]*[:.]" % "|".join(map(re.escape, leads)), re.IGNORECASE)
    tails = {lead[1:].lower() for lead in leads}
    tails = frozenset(t for t in tails if not any(o != t and o in t for o in tails))
    return pattern, tails, tuple(sorted(t for t in tails if t.isascii()))


def _patient_cues(text: str, sentences: Sequence[Sentence], normalized: str | None = None,
                  tokens: Tokens | None = None) -> tuple[tuple, tuple]:
    """The patient's age and sex, as ``(age, cue, sentence), (sex, cue, sentence)`` (the cue a
    DemographicMention; None, None, None when not found): cues of the case presentation first, then abstract,
    title, captions; the first age with a value and the first sex noun win (pronouns only when no noun says it).
    Sections are scanned in that order and only until both are found: the case presentation of a full text
    usually settles it. (``annotate`` reads these without building a Patient.)

    A kind's sentences are scanned in runs of consecutive sentences of one section, in text order, and the scan
    stops once an age with a value and a sex noun that lie before the next run are found: no cue after them can
    be chosen. ``normalized``: ``normalize_for_matching(text)`` and ``tokens``: its Tokens, when the caller has
    them."""
    runs_of: dict[str, list[list[Sentence]]] = {}
    last = None
    for s in sentences:
        kind = s.section_kind
        if kind not in _DEMOGRAPHIC_KIND_SET:
            continue
        runs = runs_of.get(kind)
        if runs is None:
            runs_of[kind] = [[s]]
        elif last.index == s.index - 1 and last.section_kind == kind and last.section == s.section \
                and last.end <= s.start:
            runs[-1].append(s)
        else:
            runs.append([s])
        last = s
    found = []
    for kind in DEMOGRAPHIC_KINDS:
        runs = runs_of.get(kind, ())
        for r, run in enumerate(runs):
            found.extend(_run_demographics(text, run, normalized, tokens))
            if r + 1 < len(runs) and found:
                next_start = runs[r + 1][0].start
                if any(d.kind == "Age" and d.value is not None and d.start < next_start for d, _ in found) \
                        and any(d.kind == "Sex" and d.cue != "pronoun" and d.start < next_start for d, _ in found):
                    break
        if found and any(d.kind == "Age" for d, _ in found) \
                and any(d.kind == "Sex" and d.cue != "pronoun" for d, _ in found):
            break
    age, sex, age_m, sex_m = demographics.patient_demographics([d for d, _ in found])
    where = {id(d): s for d, s in found}
    return (age, age_m, where.get(id(age_m))), (sex, sex_m, where.get(id(sex_m)))


def _main_condition(mentions: Sequence[Mention]) -> Concept | None:
    """The condition the report is about: the first problem named in its title, else the most mentioned Condition."""
    for m in mentions:
        if m.section == "Title" and m.type in ("Condition", "Finding") and not m.negated:
            return m.concept
    counts: dict[str, int] = {}
    first: dict[str, Concept] = {}
    for m in mentions:
        if m.type == "Condition" and not m.negated:
            counts[m.concept.curie] = counts.get(m.concept.curie, 0) + 1
            first.setdefault(m.concept.curie, m.concept)
    if not counts:
        return None
    return first[sorted(counts, key=lambda c: (-counts[c], c))[0]]
