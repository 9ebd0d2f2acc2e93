"""Length-preserving text normalisation for matching, and number parsing for Latin, Persian and Arabic text.

``normalize_for_matching`` maps every character to exactly one character, so an offset into its output is the
same offset into its input: matchers search the normalised text and report spans of the original.

Mappings and why:

* letters are lower-cased one character at a time (``str.lower`` would turn "İ" into two characters and
  lower Greek sigma by context); a character whose lower case is longer keeps the first character of it.
* Arabic yeh ``ي`` and alef maksura ``ى`` -> Persian yeh ``ی``; Arabic kaf ``ك`` -> Persian keheh ``ک``:
  Persian text typed on Arabic keyboards mixes both, and the two spellings are the same word.
* teh marbuta ``ة``, heh with yeh ``ۀ`` and heh doachashmee ``ھ`` -> heh ``ه``: spelling variants of one letter.
* alef with hamza/madda ``أ إ آ ٱ`` -> alef ``ا``; waw with hamza ``ؤ`` -> ``و``; yeh with hamza ``ئ`` -> ``ی``:
  writers drop or add hamza and madda freely ("آزاتیوپورین"/"ازاتیوپورین", "علائم"/"علایم", "مؤلف"/"مولف").
* harakat (U+064B-U+065F, U+0670, U+0610-U+061A), tatweel ``ـ`` and soft hyphen -> ``IGNORABLE`` (U+00AD): these
  sit inside a word and carry no spelling, so they must neither split a word nor take part in it;
  ``token_spans`` drops them from token keys (a tokenizer that splits on them degrades to treating them as a space).
* zero-width and bidi control characters (ZWNJ U+200C, ZWJ, ZWSP, word joiner, BOM, LRM/RLM, embeddings,
  isolates) -> space: in Persian the ZWNJ separates morphemes ("می‌شود" = "می" + "شود") and writers swap it with
  a space; the others are invisible layout marks that only ever stand between words or at their edges.
* Persian ``۰-۹`` and Arabic-Indic ``٠-٩`` digits -> ASCII ``0-9``: one number pattern serves all scripts.
* Arabic comma ``،`` -> ``,``, semicolon ``؛`` -> ``;``, question mark ``؟`` -> ``?``, percent ``٪`` -> ``%``,
  decimal separator ``٫`` -> ``.``, thousands separator ``٬`` -> ``,``, guillemets ``« »`` -> ``"``, curly
  quotes -> straight quotes: punctuation behaves the same in every script.
* NBSP, narrow NBSP and the other Unicode spaces -> space; typographic hyphens, dashes and minus signs -> ``-``:
  "75–year–old" and "75-year-old" are one form.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import accumulate

IGNORABLE = "\u00ad"

_FIXED: dict[int, str] = {}


def _put(chars: str, target: str) -> None:
    for ch in chars:
        _FIXED[ord(ch)] = target


_put("\u064a\u0649\u06cc\u0626", "\u06cc")  # ي ى ی ئ -> ی
_put("\u0643\u06a9", "\u06a9")  # ك ک -> ک
_put("\u0629\u06c0\u06be\u06c1", "\u0647")  # ة ۀ ھ ہ -> ه
_put("\u0623\u0625\u0622\u0671", "\u0627")  # أ إ آ ٱ -> ا
_put("\u0624", "\u0648")  # ؤ -> و
_put("".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670" + "".join(chr(c) for c in range(0x0610, 0x061B)), IGNORABLE)
_put("\u0640\u00ad", IGNORABLE)  # tatweel, soft hyphen
_put("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c", " ")
_put("\u00a0\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B)), " ")
_put("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
_put("\u060c\u066c", ",")
_put("\u061b", ";")
_put("\u061f", "?")
_put("\u066a", "%")
_put("\u066b", ".")
_put("\u00ab\u00bb\u201c\u201d\u201e\u201f", '"')
_put("\u2018\u2019\u201a\u201b", "'")
for _i in range(10):
    _FIXED[0x06F0 + _i] = str(_i)
    _FIXED[0x0660 + _i] = str(_i)


class _Table(dict):
    """A ``str.translate`` table that fills itself: fixed mappings first, else a one-character lower case."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        value = low if len(low) == 1 else low[0]
        self[code] = value
        return value


_TABLE = _Table(_FIXED)


def mapped_to(chars: str) -> str:
    """The characters that ``normalize_for_matching`` maps to one of ``chars`` without being one ("،" to ",")."""
    return "".join(sorted(chr(c) for c, target in _FIXED.items() if target in chars and chr(c) not in chars))
_ASCII_LOWER = min(_FIXED) >= 128  # the table maps every ASCII character as str.lower does


_ASCII_BYTES = bytes(range(128))
_CAPITAL_SIGMA = "\u03a3"  # str.lower() lowers it by context (final sigma), the table one character at a time


def _plain(ch: str) -> bool:
    """True when ``str.lower()`` of a text maps ``ch`` exactly as the table does."""
    return ord(ch) not in _FIXED and ch != _CAPITAL_SIGMA and _TABLE[ord(ch)] == ch.lower()


_PLAIN: dict[str, bool] = {}


def non_ascii_chars(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text`` (through UTF-8 bytes: C-level passes only)."""
    raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(raw.decode("utf-8", "surrogatepass"))


def normalize_for_matching(text: str) -> str:
    """``text`` with every character mapped 1:1 to its matching form (see the module docstring); same length.

    ``str.translate`` looks a non-ASCII text up one character at a time; ``str.lower`` does the same work in one
    C pass. So the few distinct characters the table maps otherwise (dashes, curly quotes, Arabic letters,
    capital sigma) are replaced first, each with one ``str.replace`` (the table is idempotent, so their order does
    not matter), and the rest is lower-cased. On ASCII text the table is ``str.lower`` (no fixed mapping of an
    ASCII character)."""
    if text.isascii():
        return text.lower() if _ASCII_LOWER else text.translate(_TABLE)
    for ch in non_ascii_chars(text):
        plain = _PLAIN.get(ch)
        if plain is None:
            plain = _PLAIN[ch] = _plain(ch)
        if not plain:
            text = text.replace(ch, _TABLE[ord(ch)])
    return text.lower()


_TOKEN = re.compile(r"(?:[^\W_]|\u00ad)+")
_PLAIN_TOKEN = re.compile(r"([^\W_]+)")  # _TOKEN without IGNORABLE, split keeps the words
_ASCII_TOKEN = re.compile(r"([A-Za-z0-9]+)")  # the same on ASCII text


def token_spans(normalized: str) -> list[tuple[int, int, str]]:
    """Word tokens of a normalised text as ``(start, end, key)``; ``key`` is the token without ``IGNORABLE``.

    A token is a run of letters and digits; ``IGNORABLE`` characters inside it do not split it and are not
    part of its span at its edges.
    """
    if IGNORABLE not in normalized:
        if normalized.isascii():
            return _split_spans(normalized, normalized)
        stand_in = _ascii_stand_in(normalized)
        if stand_in is not None:
            return _split_spans(stand_in, normalized)
        return _split_spans(normalized, normalized, _PLAIN_TOKEN)
    spans = []
    for m in _TOKEN.finditer(normalized):
        word = m.group()
        key = word.replace(IGNORABLE, "")
        if key:
            start = m.start() + len(word) - len(word.lstrip(IGNORABLE))
            end = m.end() - (len(word) - len(word.rstrip(IGNORABLE)))
            spans.append((start, end, key))
    return spans


def _split_spans(scanned: str, text: str, pattern: re.Pattern = _ASCII_TOKEN) -> list[tuple[int, int, str]]:
    """Runs of ``pattern`` in ``scanned`` as spans, their words read from ``text`` (same length): the regex splits
    words from separators and the offsets are running lengths, no Python loop per token."""
    parts = pattern.split(scanned)
    offsets = list(accumulate(map(len, parts), initial=0))
    starts, ends = offsets[1::2], offsets[2::2]
    words = parts[1::2] if scanned is text else list(map(text.__getitem__, map(slice, starts, ends)))
    return list(zip(starts, ends, words))


MAX_STAND_IN_LETTERS = 12


def _ascii_stand_in(text: str) -> str | None:
    """``text`` as ASCII of the same length and the same tokens: a non-ASCII letter or digit becomes "a", any
    other non-ASCII character "?". The regex engine scans ASCII text several times faster; None when the text
    has more than MAX_STAND_IN_LETTERS distinct non-ASCII letters (each costs one pass over the text)."""
    letters = [ch for ch in non_ascii_chars(text) if ch.isalnum()]
    if len(letters) > MAX_STAND_IN_LETTERS:
        return None
    for ch in letters:
        text = text.replace(ch, "a")
    return text.encode("ascii", "replace").decode("ascii")


_NUMBER = re.compile(r"[+-]?(\d+(?:,\d{3})*|\d+)(?:[./](\d+))?")


def parse_number(s: str) -> float | None:
    """The number written in ``s`` (ASCII, Persian or Arabic-Indic digits), or None when ``s`` is not one number.

    "." , "/" and "٫" between digits are decimal separators ("۹/۹" -> 9.9, "۱۰/۱" -> 10.1: Persian writes the
    decimal point as a slash); "," separates thousands only in groups of three ("1,250" -> 1250.0).
    Dates and ranges ("۱۳۹۸/۱۱/۱۱", "18-49") are not one number: None.
    """
    t = normalize_for_matching(s).replace(IGNORABLE, "").strip()
    t = unicodedata.normalize("NFKC", t)
    m = _NUMBER.fullmatch(t)
    if not m:
        return None
    whole = m.group(1).replace(",", "")
    value = float(whole + ("." + m.group(2) if m.group(2) is not None else ""))
    return -value if t.startswith("-") else value
