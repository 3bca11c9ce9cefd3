"""Folding Vietnamese names to comparison keys.

People write the same unit or commune in many ways: composed (NFC) or decomposed (NFD) Unicode,
the tone mark on either vowel ("Hoà"/"Hòa", "Thuỷ"/"Thủy"), "&" or "và", "TP." or "thành phố",
with or without "UBND"/"Sở"/"Huyện", stray spaces and any capitalisation. `name_key` folds all of
these to one key, so that a lookup table built from a few official spellings answers for all.

The trick for tone placement: in each word the tone mark is taken off whichever vowel carries it
and written once at the end of the word (`hòa` and `hoà` both become `hoa\u0300`), while the
vowel-quality marks (circumflex, breve, horn) stay where they are because they change the letter.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks that carry a Vietnamese tone (huyền, sắc, hỏi, ngã, nặng).
TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")

# Leading words that say what kind of body a name is, not which one; dropped before comparing.
_PREFIXES = (
    "ủy ban nhân dân",
    "uỷ ban nhân dân",
    "ubnd",
    "sở",
    "huyện",
    "thành phố",
    "tp",
    "thị xã",
    "thị trấn",
    "xã",
    "phường",
)
# Connectors dropped anywhere ("&" is read as "và" first); "các" ("the", plural) comes and goes
# in "Ban QL (các) KCN".
_CONNECTORS = frozenset({"và", "các"})
# Trailing words that say where, not which: "Sở Y tế tỉnh Hòa Bình", "... khu công nghiệp tỉnh".
_SUFFIXES = ("tỉnh hòa bình", "tỉnh")

_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def fold_tones(text: str) -> str:
    """Move each word's tone mark to the end of the word, in NFD, so placement no longer matters."""
    out = []
    for word in unicodedata.normalize("NFD", text).split():
        tones = [ch for ch in word if ch in TONE_MARKS]
        base = "".join(ch for ch in word if ch not in TONE_MARKS)
        out.append(base + "".join(tones[:1]))
    return " ".join(out)


def strip_diacritics(text: str) -> str:
    """Drop every combining mark (and map đ to d): a coarse key, for suggestions only."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in nfd if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold().replace("&", " và ")
    words = [w for w in _WORD.findall(text) if w not in _CONNECTORS]
    stripped = True
    while stripped and words:
        stripped = False
        for prefix in _PREFIXES:
            n = prefix.count(" ") + 1
            if " ".join(words[:n]) == prefix and len(words) > n:
                words, stripped = words[n:], True
                break
    for suffix in _SUFFIXES:
        n = suffix.count(" ") + 1
        tail = " ".join(fold_tones(w) for w in words[-n:])
        if len(words) > n and tail == fold_tones(suffix):
            words = words[:-n]
    return words


def name_key(text: str) -> str:
    """The comparison key of a name: case-, form-, tone-placement-, spacing- and prefix-blind.

    Words are joined without spaces so that "LĐ-TB&XH", "LĐ TBXH" and "LĐTBXH" meet.
    """
    return "".join(fold_tones(w) for w in _words(text))


def initials(text: str) -> str:
    """Initials of the significant words ("Giáo dục và Đào tạo" -> "GDĐT"), as written in short forms."""
    return "".join(w[0] for w in _words(text)).upper()


def suggestion_key(text: str) -> str:
    """A looser key for ranking suggestions: no marks at all, no spaces."""
    return strip_diacritics(name_key(text))


def collapse_spaces(text: str) -> str:
    """Trim and collapse runs of whitespace (including non-breaking spaces) to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())
