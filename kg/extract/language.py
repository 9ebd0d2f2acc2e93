"""Language of a text (BCP 47) from its script and stop words: no model, no download, linear in the text.

The script decides first (Han, Hangul, Cyrillic, Greek, Hebrew, Devanagari, Thai, Arabic, Latin). Arabic script
is Persian or Arabic by Persian-only letters (پ چ ژ گ ک ی) against Arabic-only ones (ي ك ة) and by stop words
(است، این، که، را، با، در / في، من، على ...). Latin script goes to the language whose stop words are most
frequent (``kg/resources/language_stopwords.tsv``), English when none are found.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from kg.errors import ResourceError
from kg.extract.normalize import normalize_for_matching

STOPWORDS_FILE = "language_stopwords.tsv"

_SCRIPT_RANGES = (
    (0x0041, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x3040, 0x30FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
)
_SIMPLE_SCRIPTS = {"Greek": "el", "Hebrew": "he", "Devanagari": "hi", "Thai": "th", "Hangul": "ko"}
_PERSIAN_LETTERS = frozenset("\u067e\u0686\u0698\u06af\u06a9\u06cc")  # پ چ ژ گ ک ی
_ARABIC_LETTERS = frozenset("\u064a\u0643\u0629")  # ي ك ة
_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
_WORD = re.compile(r"[^\W\d_]+")

EXCLUDED_SECTION_KINDS = frozenset(
    {"front matter", "frontmatter", "front", "title", "abstract", "keywords", "references", "reference",
     "bibliography", "affiliations", "affiliation", "metadata", "acknowledgements", "acknowledgments",
     "funding", "correspondence", "corresponding author", "article information"}
)


def _script(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x41 or not ch.isalpha():
        return None
    for low, high, name in _SCRIPT_RANGES:
        if low <= code <= high:
            return name
    return "Other"


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Stop words per language code from the bundled TSV, normalised for matching; malformed rows raise."""
    path = resources.files("kg.resources").joinpath(STOPWORDS_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"{STOPWORDS_FILE}: cannot read ({exc})") from exc
    if not lines or lines[0].split("\t") != ["language", "words"]:
        raise ResourceError(f"{STOPWORDS_FILE}:1: header must be 'language<TAB>words'")
    table: dict[str, set[str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not re.fullmatch(r"[a-z]{2,3}", cols[0]) or not cols[1].split():
            raise ResourceError(f"{STOPWORDS_FILE}:{number}: expected '<language code>\\t<space-separated words>'")
        words = normalize_for_matching(cols[1]).replace("\u00ad", "").split()
        table.setdefault(cols[0], set()).update(words)
    return {lang: frozenset(words) for lang, words in table.items()}


_ASCII_LETTERS = {ord(ch): None for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SCRIPT_OF: dict[str, str | None] = {}


def letter_counts(text: str) -> Counter:
    """Number of letters of each script in ``text``.

    ASCII letters are counted in one C-level pass (they are all Latin); only the other characters are looked
    up one by one, each distinct one once: English prose costs almost nothing."""
    counts: Counter = Counter()
    latin = len(text) - len(text.translate(_ASCII_LETTERS))
    if latin:
        counts["Latin"] = latin
    if text.isascii():
        return counts
    for ch, n in Counter("".join(_NON_ASCII.findall(text))).items():
        script = _SCRIPT_OF.get(ch, "")
        if script == "":
            script = _SCRIPT_OF[ch] = _script(ch)
        if script:
            counts[script] += n
    return counts


@lru_cache(maxsize=1)
def _languages_of_word() -> dict[str, frozenset[str]]:
    """Stop word -> the languages that have it (one lookup per word instead of one per word and language)."""
    out: dict[str, set[str]] = {}
    for lang, words in stopwords().items():
        for word in words:
            out.setdefault(word, set()).add(lang)
    return {word: frozenset(langs) for word, langs in out.items()}


_ASCII_NON_LETTERS_TO_SPACE = {c: " " for c in range(128) if not chr(c).isalpha()}


def _words(normalized: str) -> list[str]:
    """The letter runs of a normalised text (``_WORD``); ASCII text is split in C without the regex engine."""
    if normalized.isascii():
        return normalized.translate(_ASCII_NON_LETTERS_TO_SPACE).split()
    return _WORD.findall(normalized)


def _stopword_hits(text: str, languages: Iterable[str]) -> Counter:
    table = _languages_of_word()
    wanted = frozenset(languages)
    hits: Counter = Counter()
    for word, n in Counter([w for w in _words(normalize_for_matching(text)) if w in table]).items():
        for lang in table[word]:
            if lang in wanted:
                hits[lang] += n
    return hits


def _arabic_script_language(text: str) -> str:
    persian = sum(text.count(ch) for ch in _PERSIAN_LETTERS)
    arabic = sum(text.count(ch) for ch in _ARABIC_LETTERS)
    hits = _stopword_hits(text, ("fa", "ar"))
    fa_score = persian + 5 * hits["fa"]
    ar_score = arabic + 5 * hits["ar"]
    return "ar" if ar_score > fa_score else "fa"


def _latin_language(text: str) -> str:
    """English unless another language's stop words are clearly more frequent (3 or more, and twice English's):
    front matter such as "Center, Sari, Iran (E-mail: ...)" shares a few short words with Portuguese."""
    latin = ("en", "fr", "es", "de", "it", "pt", "nl", "tr")
    hits = _stopword_hits(text, latin)
    if not hits:
        return "en"
    best = max(hits.values())
    winner = next(lang for lang in latin if hits[lang] == best)
    if winner != "en" and (best < 3 or best < 2 * hits["en"]):
        return "en"
    return winner


def detect_language(text: str) -> str:
    """BCP 47 code of the main language of ``text`` ("en", "fa", "ar", "fr", "zh", ...); "und" without letters."""
    counts = letter_counts(text)
    if not counts:
        return "und"
    if counts["Kana"]:
        return "ja"
    script = max(counts, key=lambda name: (counts[name], name))
    if script == "Han":
        return "zh"
    if script == "Arabic":
        return _arabic_script_language(text)
    if script == "Cyrillic":
        return "uk" if any(ch in _UKRAINIAN_LETTERS for ch in text) else "ru"
    if script in _SIMPLE_SCRIPTS:
        return _SIMPLE_SCRIPTS[script]
    if script == "Latin":
        return _latin_language(text)
    return "und"


_PARAGRAPH = re.compile(r"\n\s*\n")


def language_letters(text: str) -> Counter:
    """Letters per detected language, paragraph by paragraph (so English terms inside Persian prose stay Persian)."""
    totals: Counter = Counter()
    for paragraph in _PARAGRAPH.split(text):
        letters = sum(letter_counts(paragraph).values())
        if letters:
            totals[detect_language(paragraph)] += letters
    return totals


def _kind_key(kind: str) -> str:
    return re.sub(r"[\s_\-]+", " ", kind.strip().lower())


def main_language(sections_text_pairs: Sequence[tuple[str, str]]) -> str:
    """Language of the body: the one with most letters in sections other than front matter, abstract and references.

    ``sections_text_pairs`` are ``(section kind or title, section text)``; when every section is excluded, all
    of them count. "und" when there are no letters at all.
    """
    body = [text for kind, text in sections_text_pairs if _kind_key(kind) not in EXCLUDED_SECTION_KINDS]
    totals: Counter = Counter()
    for text in body or [text for _, text in sections_text_pairs]:
        totals.update(language_letters(text))
    if not totals:
        return "und"
    return max(sorted(totals), key=lambda lang: totals[lang])
