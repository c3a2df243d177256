"""The tokenizer `sentiment-tokenizer/1`, exactly as docs/TOKENIZER.md specifies it.

The Java service implements the same rules (org.sentimentstream.model.Tokenizer); both are
held to the committed test vectors that `python -m training.vectors` writes.
"""

from __future__ import annotations

import re
import unicodedata

SPEC_VERSION = "sentiment-tokenizer/1"

PAD, UNK, URL, USER, HASHTAG, NUMBER = "<pad>", "<unk>", "<url>", "<user>", "<hashtag>", "<number>"
RESERVED: tuple[str, ...] = (PAD, UNK, URL, USER, HASHTAG, NUMBER)

_NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0"}
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")

_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd"})
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc"})
_URL_PREFIXES = ("http://", "https://", "www.")
_APOSTROPHES = frozenset({"'", "\u2019"})
_ELONGATION = re.compile(r"(.)\1{2,}", re.DOTALL)


def _decode_entity(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return _NAMED_ENTITIES[name]
    value = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if 1 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
        return chr(value)
    return match.group(0)


def _is_ignored(c: str) -> bool:
    cp = ord(c)
    return (
        unicodedata.category(c) == "Cf"
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF
    )


def _is_space(c: str) -> bool:
    return unicodedata.category(c) in _SPACE_CATEGORIES


def _is_single(c: str) -> bool:
    cp = ord(c)
    return (
        0x3040 <= cp <= 0x30FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FA1F
    )


def _is_word(c: str) -> bool:
    if _is_space(c) or _is_single(c):
        return False
    return c == "_" or unicodedata.category(c) in _WORD_CATEGORIES


def _is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def normalize(text: str) -> str:
    """Steps 1-5 of the specification: the text the scanner reads."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _ENTITY.sub(_decode_entity, text)
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if not _is_ignored(c))


def tokenize(text: str) -> list[str]:
    """Splits a text into token strings (before vocabulary look-up and truncation)."""
    s = normalize(text)
    n = len(s)
    tokens: list[str] = []
    i = 0
    while i < n:
        c = s[i]
        if _is_space(c):
            i += 1
        elif s.startswith(_URL_PREFIXES, i):
            while i < n and not _is_space(s[i]):
                i += 1
            tokens.append(URL)
        elif c == "@" and i + 1 < n and _is_word(s[i + 1]):
            i += 1
            while i < n and _is_word(s[i]):
                i += 1
            tokens.append(USER)
        elif c == "#" and i + 1 < n and _is_word(s[i + 1]):
            i += 1
            tokens.append(HASHTAG)
        elif _is_word(c):
            i = _scan_word(s, i, tokens)
        else:
            j = i + 1
            while j < n and s[j] == c:
                j += 1
            tokens.append(c if j - i == 1 else c + c)
            i = j
    return tokens


def _scan_word(s: str, start: int, tokens: list[str]) -> int:
    n = len(s)
    i = start
    numeric = True  # the run so far is DIGIT code points, possibly joined by single '.' or ','
    while i < n:
        c = s[i]
        if _is_word(c):
            numeric = numeric and _is_digit(c)
            i += 1
        elif c in _APOSTROPHES and i + 1 < n and _is_word(s[i + 1]):
            numeric = False
            i += 1
        elif numeric and c in ".," and i + 1 < n and _is_digit(s[i + 1]):
            i += 1
        else:
            break
    run = s[start:i]
    if numeric:
        tokens.append(NUMBER)
    else:
        run = run.replace("\u2019", "'")
        tokens.append(_ELONGATION.sub(r"\1\1", run))
    return i
