"""Frozen records passed between the stages: readers produce a Document, extractors return the rest.

Offsets are always character offsets (Python ``str`` indices) into ``Document.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Person:
    """An author; ``name`` is the Vancouver form "Surname Initials" (``Banimostafavi ES``)."""

    name: str
    surname: str = ""
    given: str = ""


@dataclass(frozen=True)
class Metadata:
    """Bibliographic facts about the report itself."""

    title: str = ""
    authors: tuple[Person, ...] = ()
    date: str = ""  # ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY
    journal: str = ""
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    keywords: tuple[str, ...] = ()
    language: str = ""  # BCP 47 of the main body
    licence: str = ""
    article_type: str = ""


@dataclass(frozen=True)
class Section:
    """A titled stretch of the text. ``kind`` is a normalised name from kg/resources/section_headers.tsv."""

    title: str
    kind: str
    start: int
    end: int
    language: str = "en"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    section: str  # the section title as written
    section_kind: str
    language: str = "en"
    index: int = 0


@dataclass(frozen=True)
class CitationMarker:
    """An in-text citation such as ``[1,2]``, ``(۱۰-۸)`` or a superscript; ``numbers`` are expanded reference numbers."""

    start: int
    end: int
    text: str
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Reference:
    """One entry of a reference list, parsed. ``parsed`` is False when only ``raw`` could be kept."""

    raw: str
    number: Optional[int] = None
    authors: tuple[str, ...] = ()  # Vancouver "Surname Initials", in order
    et_al: bool = False
    title: str = ""
    journal: str = ""
    year: Optional[int] = None
    volume: str = ""
    issue: str = ""
    supplement: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    pmid: str = ""
    parsed: bool = True
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Page:
    """A page of a paginated source (PDF): its span in ``Document.text``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """What a reader produced from one report: the text every offset refers to, plus what the format told us.

    ``sections``, ``references`` and ``markers`` are filled by structured readers (JATS); for plain text
    they are empty and the extractors find them in ``text``.
    """

    doc_id: str
    source: str
    text: str
    format: str
    metadata: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    references: tuple[Reference, ...] = ()
    markers: tuple[CitationMarker, ...] = ()
    pages: tuple[Page, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A grounded concept: ``curie`` such as ``HP:0030880``; ``type`` one of the CONTRACT classes."""

    curie: str
    label: str
    type: str
    alt_labels: tuple[tuple[str, str], ...] = ()  # (text, language)
    crest: bool = False


@dataclass(frozen=True)
class Mention:
    """A concept recognised in the text, with its ConText attributes."""

    start: int
    end: int
    text: str
    concept: Concept
    negated: bool = False
    historical: bool = False
    uncertain: bool = False
    subject: str = "patient"  # patient | literature | family | other
    section: str = ""
    sentence: int = -1  # index into the sentence list

    @property
    def type(self) -> str:
        return self.concept.type


@dataclass(frozen=True)
class Evidence:
    report: str  # doc_id
    section: str
    sentence: str
    start: int
    end: int
    language: str = "en"
    page: Optional[int] = None


@dataclass(frozen=True)
class Patient:
    age_years: Optional[float] = None
    sex: Optional[str] = None  # "female" | "male" | None when the text does not say
    age_evidence: Optional[Evidence] = None
    sex_evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Observation:
    """A fact about the patient. ``kind``: Finding | Condition | Imaging | Treatment | Procedure | Lab."""

    kind: str
    concept: Concept
    evidence: Evidence
    negated: bool = False
    temporality: str = "current"  # current | historical
    uncertain: bool = False
    body_sites: tuple[Concept, ...] = ()
    modality: Optional[Concept] = None
    value: Optional[float] = None
    unit: str = ""
    indication: Optional[Concept] = None
    outcome: str = ""
    dose: str = ""


@dataclass(frozen=True)
class TreatmentClaim:
    """What the report says the cited literature reports about an agent for a condition."""

    agent: Concept
    condition: Optional[Concept]
    effect: str
    cites: tuple[int, ...]
    evidence: Evidence
    inferred_citation: bool = False


@dataclass(frozen=True)
class CitationContext:
    """A sentence carrying citation markers, with the concepts it mentions."""

    cites: tuple[int, ...]
    marker: str
    evidence: Evidence
    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one Document."""

    document: Document
    metadata: Metadata
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    patient: Patient
    observations: tuple[Observation, ...]
    references: tuple[Reference, ...]
    citation_contexts: tuple[CitationContext, ...]
    claims: tuple[TreatmentClaim, ...]
