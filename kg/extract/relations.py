"""Patient observations from attributed mentions: findings and conditions, imaging (modality + sign + site, up to
the next test named in the sentence, and carried to a following sentence of the same paragraph that states an imaging
result such as "was seen" / "مشهود بود" and names no other test), treatments (indication, outcome), procedures and
lab values with units. Cue words are data: kg/resources/relation_cues.tsv and units.tsv."""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from kg.extract.concepts import Tokens
from kg.extract.context import phrase_trie, scan_phrases
from kg.extract.labs import read_value
from kg.extract.lexicon import keys_of
from kg.model import Concept, Evidence, Mention, Observation, Sentence
from kg.resources import load_tsv, resource_path

PROBLEM = {"Finding", "Condition", "ImagingFinding"}
SITE_SCOPE = 12  # tokens after a finding in which its anatomical sites are read


@lru_cache(maxsize=1)
def relation_cues() -> dict:
    rows = load_tsv(resource_path("relation_cues.tsv"), ("phrase", "relation", "value", "language"), min_columns=2,
                    allowed={"relation": {"indication", "outcome", "imaging_result"}})
    return phrase_trie([(keys_of(r["phrase"]), r["relation"], r["value"]) for r in rows if keys_of(r["phrase"])])


def evidence_for(report: str, sentence: Sentence, start: int, end: int) -> Evidence:
    return Evidence(report=report, section=sentence.section, sentence=sentence.text, start=start, end=end,
                    language=sentence.language)


def observations(report: str, tokens: Tokens, sentences: Sequence[Sentence], mentions: Sequence[Mention],
                 paragraph_breaks: Sequence[int] = ()) -> tuple[Observation, ...]:
    """Observations of the patient from mentions whose subject is the patient (negated ones kept, flagged)."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Observation] = []
    carried: tuple[Concept, int, str] | None = None  # (modality, sentence index, section)
    for si, sentence in enumerate(sentences):
        ms = sorted(by_sentence.get(si, ()), key=lambda m: m.start)
        if carried and (carried[2] != sentence.section or _paragraph_break(tokens.text, sentences[carried[1]].end,
                                                                             sentence.start)):
            carried = None
        if not ms:
            continue
        patient = [m for m in ms if m.subject == "patient"]
        keys = [k for s, e, k in tokens.spans[tokens.index_at(sentence.start):tokens.index_at(sentence.end)]]
        first_tok = tokens.index_at(sentence.start)
        cues = [(i + first_tok, j + first_tok, rel) for i, j, rel in scan_phrases(relation_cues(), keys)]
        modalities = [m for m in patient if m.type == "Modality" and not m.negated]
        for m in patient:
            ev = evidence_for(report, sentence, m.start, m.end)
            temporality = "historical" if m.historical else "current"
            if m.type in ("Finding", "Condition"):
                out.append(Observation(kind=m.type, concept=m.concept, evidence=ev, negated=m.negated,
                                       temporality=temporality, uncertain=m.uncertain,
                                       body_sites=_sites_after(m, ms, tokens)))
            elif m.type == "Drug":
                out.append(Observation(kind="Treatment", concept=m.concept, evidence=ev, negated=m.negated,
                                       temporality=temporality, uncertain=m.uncertain,
                                       indication=_indication(m, ms, cues, tokens),
                                       outcome=_outcome(cues)))
            elif m.type == "Procedure":
                out.append(Observation(kind="Procedure", concept=m.concept, evidence=ev, negated=m.negated,
                                       temporality=temporality, uncertain=m.uncertain,
                                       body_sites=_sites_after(m, ms, tokens),
                                       indication=_indication(m, ms, cues, tokens),
                                       outcome=_outcome(cues)))
            elif m.type == "LabTest":
                next_lab = min((x.start for x in ms if x.start >= m.end and x.type == "LabTest"), default=sentence.end)
                value, unit, vend = (None, "", m.end) if m.negated else _lab_value(m, sentence, tokens, next_lab)
                if value is not None or m.negated:
                    out.append(Observation(kind="Lab", concept=m.concept, negated=m.negated, temporality=temporality,
                                           evidence=evidence_for(report, sentence, m.start, max(m.end, vend)),
                                           value=value, unit=unit))
        states_result = any(rel == "imaging_result" for _, _, (rel, _) in cues)
        other_tests = any(m.type in ("Procedure", "LabTest") for m in patient)
        continues = carried is not None and states_result and not other_tests and si - carried[1] <= 2
        out.extend(_imaging(report, sentence, patient, modalities, carried if continues else None, tokens))
        if modalities:
            carried = (modalities[-1].concept, si, sentence.section)
        elif not continues:
            carried = None
    return tuple(out)


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return "\n\n" in text[a:b] or "\n \n" in text[a:b]


def _tok(tokens: Tokens, offset: int) -> int:
    return tokens.index_at(offset)


def _sites_after(m: Mention, ms: Sequence[Mention], tokens: Tokens, limit_end: int | None = None) -> tuple[Concept, ...]:
    """Anatomical sites inside a mention or after it, up to the next problem mention or SITE_SCOPE tokens."""
    t0 = _tok(tokens, m.end)
    sites: list[Concept] = []
    next_problem = min((x.start for x in ms if x.start >= m.end and x.type in PROBLEM | {"Drug", "Procedure"}),
                       default=limit_end or 10**12)
    for x in ms:
        if x.type != "AnatomicalSite" or x.negated:
            continue
        inside = m.start <= x.start and x.end <= m.end
        after = x.start >= m.end and x.start < next_problem and _tok(tokens, x.start) - t0 <= SITE_SCOPE
        if (inside or after) and x.concept not in sites:
            sites.append(x.concept)
    return tuple(sites)


def _imaging(report: str, sentence: Sentence, patient: Sequence[Mention], modalities: Sequence[Mention],
             carried: tuple[Concept, int, str] | None, tokens: Tokens) -> list[Observation]:
    """ImagingObservations for the signs an imaging study showed: problems after the modality in its sentence
    (or before it, when none follow), or in the sentences that continue its paragraph. The sites of the study
    are those named in the modality's own words ("chest X-ray") and those after it, before its first sign."""
    problems = [m for m in patient if m.type in PROBLEM and not m.negated]
    if not problems:
        return []
    out = []
    if modalities:
        mod = modalities[0]
        next_test = min((m.start for m in patient if m.start >= mod.end and m.type in ("Modality", "Procedure", "LabTest")),
                        default=sentence.end)
        after = [p for p in problems if mod.end <= p.start < next_test]
        chosen = after or [p for p in problems if p.end <= mod.start]
        target = tuple(x.concept for x in patient if x.type == "AnatomicalSite"
                       and (mod.start <= x.start and x.end <= mod.end
                            or mod.end <= x.start and (not after or x.end <= after[0].start)))
        modality = mod.concept
    elif carried:
        chosen, target, modality = problems, (), carried[0]
    else:
        return []
    for p in chosen:
        sites = _sites_after(p, patient, tokens)
        for t in target:
            if t not in sites:
                sites = sites + (t,)
        out.append(Observation(kind="Imaging", concept=p.concept, modality=modality, body_sites=sites,
                               evidence=evidence_for(report, sentence, p.start, p.end), uncertain=p.uncertain,
                               temporality="historical" if p.historical else "current"))
    return out


def _indication(m: Mention, ms: Sequence[Mention], cues, tokens: Tokens) -> Concept | None:
    """The problem right after an indication cue ("for", "due to", "به علت") in the sentence."""
    for i, j, (rel, _) in cues:
        if rel != "indication":
            continue
        for x in ms:
            if x.type in PROBLEM and not x.negated and 0 <= _tok(tokens, x.start) - j <= 3:
                return x.concept
    return None


def _outcome(cues) -> str:
    """The normalised outcome named by an outcome cue of the sentence ("improved", "no improvement"...)."""
    for i, j, (rel, value) in cues:
        if rel == "outcome":
            return value
    return ""


def _lab_value(m: Mention, sentence: Sentence, tokens: Tokens, stop: int) -> tuple[float | None, str, int]:
    """The value and unit read after a lab test name (``labs.read_value``) and where they end."""
    v = read_value(tokens, m.end, sentence.end, stop)
    return (None, "", m.end) if v is None else (v.value, v.unit, v.unit_end)
