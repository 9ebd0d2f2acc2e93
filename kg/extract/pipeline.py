"""The extraction pipeline: Document -> Extraction. Loads the lexicon once; every stage is a pure function."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Sequence

from kg.extract import citations, claims, context, demographics, relations
from kg.extract.concepts import Match, Tokens, recognize
from kg.extract.language import detect_language, main_language
from kg.extract.lexicon import Lexicon
from kg.extract.metadata import extract_metadata, extract_title
from kg.extract.normalize import normalize_for_matching
from kg.extract.references import split_reference_list
from kg.extract.sections import find_sections
from kg.extract.sentences import split_sentences
from kg.model import (Concept, Document, Evidence, Extraction, Mention, Metadata, Patient, Section, Sentence)

NO_MENTIONS = {"references", "keywords", "acknowledgements", "front"}
DEMOGRAPHIC_KINDS = ("case", "abstract", "title", "figure", "results", "other")


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
        markers = _markers(doc, text, sections, references)
        tokens = Tokens(text)
        mentions = self._mentions(tokens, sentences, markers)
        patient = _patient(doc.doc_id, text, sentences)
        observations = relations.observations(doc.doc_id, tokens, sentences, mentions)
        contexts = citations.contexts(doc.doc_id, sentences, markers, mentions)
        main_condition = _main_condition(mentions)
        treatment_claims = claims.extract_claims(doc.doc_id, sentences, mentions, markers, references,
                                                 self.concepts_in, main_condition)
        return Extraction(document=doc, metadata=metadata, sections=tuple(sections), sentences=tuple(sentences),
                          mentions=tuple(mentions), patient=patient, observations=observations,
                          references=tuple(references), citation_contexts=tuple(contexts),
                          claims=tuple(treatment_claims))

    def annotate(self, doc: Document) -> list[dict]:
        """Mentions as the JSON objects of ``kg annotate`` (CONTRACT.md), in text order, with the patient's age
        and sex as one Age and one Sex row (the spans the patient's values were read from).

        The same mentions as ``extract(doc).mentions`` (same sections, title, sentences, citation markers and
        context), without the stages whose output annotate does not show (language, observations, claims)."""
        text = doc.text
        sections = doc.sections or find_sections(text)
        title = doc.metadata.title or (extract_title(text, sections) if doc.format != "jats" else "")
        sentences = _with_title(text, title, split_sentences(text, [s for s in sections if s.kind != "references"]))
        markers = _markers(doc, text, sections)
        mentions = self._mentions(Tokens(text), sentences, markers)
        rows = [{"start": m.start, "end": m.end, "text": m.text, "id": m.concept.curie, "label": m.concept.label,
                 "type": m.concept.type, "negated": m.negated, "subject": m.subject, "section": m.section,
                 "historical": m.historical, "uncertain": m.uncertain} for m in mentions]
        patient = _patient(doc.doc_id, text, sentences)
        for kind, value, ev in (("Age", patient.age_years, patient.age_evidence),
                                ("Sex", patient.sex, patient.sex_evidence)):
            if ev is not None:
                rows.append({"start": ev.start, "end": ev.end, "text": text[ev.start:ev.end], "id": "",
                             "label": "" if value is None else str(value), "type": kind, "negated": False,
                             "subject": "patient", "section": ev.section, "historical": False, "uncertain": False})
        rows.sort(key=lambda r: (r["start"], r["end"], r["type"], r["id"]))
        return rows

    # ------------------------------------------------------------------ stages
    def _mentions(self, tokens: Tokens, sentences: Sequence[Sentence], markers) -> list[Mention]:
        """Recognised concepts of every sentence with their ConText attributes and subject. The subject is the
        sentence's (``context.sentence_subject``, given the subject of the sentence before it in the same section);
        a table row takes the subject of its table's caption when that caption names reported cases, and a
        finding whose row says "No" for every patient is negated."""
        out: list[Mention] = []
        token_starts = tokens.starts
        marker_starts = sorted(m.start for m in markers)
        subjects: dict[int, str] = {}
        captions: dict[tuple[int, int], str | None] = {}
        rows: dict[int, str] = {}  # table row start -> subject of the row
        text = tokens.text

        def keys_of_sentence(s: Sentence) -> tuple[int, list[str]]:
            first = bisect_left(token_starts, s.start)  # tokens.index_at, without a Python loop
            last = bisect_left(token_starts, s.end)
            return first, tokens.keys[first:last]

        def subject_of(si: int, keys: list[str] | None = None, previous: bool = True) -> str:
            if si in subjects:
                return subjects[si]
            s = sentences[si]
            first = bisect_left(token_starts, s.start)
            if keys is None:
                keys = keys_of_sentence(s)[1]
            if not context.PRONOUNS.isdisjoint(keys):  # "HE" (an abbreviation) is no pronoun
                keys = [k if k not in context.PRONOUNS or not text[a:b].isupper() else "\x00" for k, a, b
                        in zip(keys, tokens.starts[first:first + len(keys)], tokens.ends[first:first + len(keys)])]
            k = bisect_left(marker_starts, s.start)
            has_marker = k < len(marker_starts) and marker_starts[k] < s.end
            before = None
            if previous and si > 0 and sentences[si - 1].section == s.section and keys \
                    and keys[0] in context.PRONOUNS and s.section_kind in context.BACKGROUND:
                before = subject_of(si - 1, previous=False)  # only read when a pronoun opens a background sentence
            subject = context.sentence_subject(keys, s.section_kind, has_marker, before)
            if previous:
                subjects[si] = subject
            return subject

        for si, s in enumerate(sentences):
            if s.section_kind in NO_MENTIONS:
                continue
            matches: list[Match] = recognize(self.lexicon, tokens, s.start, s.end)
            if not matches:
                continue
            first, keys = keys_of_sentence(s)
            triggers = context.find_triggers(keys)
            subject = subject_of(si, keys)
            table = "\t" in s.text
            for m in matches:
                attrs = context.attributes_for(m.first_token - first, m.last_token - first, triggers)
                negated, m_subject = attrs.negated, subject
                if table:
                    row_start = text.rfind("\n", 0, m.start) + 1
                    row_end = text.find("\n", m.end)
                    row = text[row_start:row_end if row_end >= 0 else len(text)]
                    if "\t" in row:
                        negated = negated or context.table_row_negated(row, m.start - row_start)
                        if row_start not in rows:
                            caption = context.table_caption(text, row_start)
                            if caption not in captions:
                                captions[caption] = context.caption_subject(text[caption[0]:caption[1]])
                            rows[row_start] = captions[caption] or context.line_subject(row, s.section_kind)
                        m_subject = rows[row_start]
                mention_subject = "family" if attrs.family else m_subject
                out.append(Mention(start=m.start, end=m.end, text=tokens.text[m.start:m.end], concept=m.concept,
                                   negated=negated, historical=attrs.historical,
                                   uncertain=attrs.uncertain or attrs.hypothetical,
                                   subject="other" if attrs.hypothetical and mention_subject == "patient" else mention_subject,
                                   section=s.section, sentence=si))
        return out


def _markers(doc: Document, text: str, sections: Sequence[Section], references=None):
    """In-text citation markers of the body sections (the reader's own when it gave them); the text is
    normalised once for all sections."""
    if doc.markers:
        return doc.markers
    if references is None:
        references = doc.references or _references(text, sections)
    body = [s for s in sections if s.kind not in ("references", "front", "keywords")]
    if not body:
        return ()
    normalized = normalize_for_matching(text)
    return tuple(m for s in body for m in citations.find_markers(text, s.start, s.end, max_ref=len(references) or None,
                                                                  normalized=normalized))


def _demographics(text: str, sentences: Sequence[Sentence]):
    """Age and sex cues of the sentences that carry mentions, with their sentence. One scan per run of
    consecutive sentences of a section (the cues are single words or short phrases that never cross a sentence
    end); a cue is kept only when it lies inside one sentence."""
    runs: list[list[Sentence]] = []
    for s in sentences:
        if s.section_kind in NO_MENTIONS:
            continue
        if runs and runs[-1][-1].index == s.index - 1 and runs[-1][-1].section == s.section \
                and runs[-1][-1].section_kind == s.section_kind and runs[-1][-1].end <= s.start:
            runs[-1].append(s)
        else:
            runs.append([s])
    out = []
    for run in runs:
        starts = [s.start for s in run]
        for d in demographics.find_demographics(text, run[0].start, run[-1].end):
            k = bisect_right(starts, d.start) - 1
            if k >= 0 and d.end <= run[k].end:
                out.append((d, run[k]))
    return out


def _merge_metadata(given: Metadata, found: Metadata) -> Metadata:
    """Fields the reader gave win; the text's front matter fills the rest."""
    fields = {}
    for name in Metadata.__dataclass_fields__:
        a, b = getattr(given, name), getattr(found, name)
        fields[name] = a if a else b
    return Metadata(**fields)


def _references(text: str, sections: Sequence[Section]):
    refs = []
    for s in sections:
        if s.kind == "references":
            body_start = text.find("\n", s.start)
            body_start = s.start if body_start < 0 or body_start > s.end else body_start + 1
            refs.extend(split_reference_list(text, body_start, s.end))
    return tuple(refs)


def _with_title(text: str, title: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The report title as a first pseudo-sentence (section "Title"): case report titles name the patient's problem."""
    out = list(sentences)
    if title:
        pos = text.find(title)
        if pos >= 0 and not any(s.start <= pos < s.end for s in sentences):
            out.append(Sentence(start=pos, end=pos + len(title), text=title, section="Title", section_kind="title",
                                language=detect_language(title)))
    out.sort(key=lambda s: (s.start, s.end))
    return [s if s.index == i else replace(s, index=i) for i, s in enumerate(out)]


def _patient(report: str, text: str, sentences: Sequence[Sentence]) -> Patient:
    """The patient's age and sex: cues of the case presentation first, then abstract, title, captions; the first
    age with a value and the first sex noun win (pronouns only when no noun says it). Sections are scanned in
    that order and only until both are found: the case presentation of a full text usually settles it."""
    found = []
    for kind in DEMOGRAPHIC_KINDS:
        found.extend(_demographics(text, [s for s in sentences if s.section_kind == kind]))
        if any(d.kind == "Age" for d, _ in found) and any(d.kind == "Sex" and d.cue != "pronoun" for d, _ in found):
            break
    age, sex, age_m, sex_m = demographics.patient_demographics([d for d, _ in found])
    where = {id(d): s for d, s in found}

    def ev(d):
        if d is None:
            return None
        s = where[id(d)]
        return Evidence(report=report, section=s.section, sentence=s.text, start=d.start, end=d.end, language=s.language)

    return Patient(age_years=age, sex=sex, age_evidence=ev(age_m), sex_evidence=ev(sex_m))


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
