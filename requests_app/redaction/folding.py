"""One way to compare text for redaction: fold both sides, match, map back to the original.

A name can be written many ways that look the same on a page: "Zoë" precomposed or as "Zoe" +
U+0308, with a soft hyphen or a zero-width space inside it, with a Cyrillic "а" pasted in from
elsewhere, in full-width letters, across a non-breaking space. A redaction that misses one of
them discloses it. So every search folds the text it searches and the term it looks for the
same way, one original character at a time, and keeps where each folded character came from;
a match in the folded text maps back to the exact original characters, invisible ones and
combining marks included, which is what gets cut out of the record.

Folding, per original character:
- format characters (Unicode category Cf: soft hyphen, zero-width space/joiners, word joiner,
  byte-order mark, bidirectional controls) fold to nothing: they are invisible on the page;
- NFKC (full-width and styled letters, ligatures, non-breaking and other spaces become plain
  ones), then case folding ("ß" is "ss");
- canonical decomposition, with nonspacing and enclosing marks dropped ("ë" is "e", Arabic
  and Hebrew vowel points go too), and a few Latin letters that have no decomposition ("ø",
  "ł", "đ", "ı") given their base letter;
- common look-alikes from Cyrillic and Greek become the Latin letter they look like ("а" is
  "a", "о" is "o", "Η" is "h"). The map works on the case-folded letter so capitals and small
  letters still match each other. Where a Greek capital and its small letter look like
  different Latin letters ("Ν" and "ν"), the capital wins: capitals are the identical shapes.

Folding only ever merges spellings, so it can make a search find more than before, never less.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Case-folded Cyrillic and Greek letters that are drawn like a Latin letter in common fonts
# (after Unicode's confusables list). Keys are small letters because the map runs after case
# folding; Greek "η", "μ", "ν", "υ" take the Latin letter their capitals look like.
LOOK_ALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
}
# Latin letters with a stroke or other mark that Unicode does not decompose.
BASE_LETTERS = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ƀ": "b",
                "ɨ": "i", "æ": "ae", "œ": "oe"}
_DROPPED_MARKS = {"Mn", "Me"}


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """What one original character becomes in folded text (possibly nothing, possibly two)."""
    if char.isascii():
        return char.lower()
    if unicodedata.category(char) == "Cf":
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    out = []
    for piece in unicodedata.normalize("NFD", folded):
        if unicodedata.category(piece) in _DROPPED_MARKS:
            continue
        piece = BASE_LETTERS.get(piece, piece)
        out.append(LOOK_ALIKES.get(piece, piece))
    return "".join(out)


def fold(text: str) -> str:
    """The folded form of a whole string (for comparing, where offsets do not matter)."""
    return "".join(fold_char(char) for char in text)


def is_mark(char: str) -> bool:
    """A character that belongs to the character before it on the page: a combining mark,
    variation selector, emoji skin-tone modifier or tag character."""
    code = ord(char)
    return (unicodedata.category(char).startswith("M") or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F)


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original one it came
    from."""

    original: str
    text: str
    origin: array  # of unsigned ints: 4 bytes a character, not a Python int object each

    @classmethod
    def of(cls, original: str) -> Folded:
        pieces, origin = [], array("I")
        for index, char in enumerate(original):
            folded = fold_char(char)
            pieces.append(folded)
            origin.extend([index] * len(folded))
        return cls(original, "".join(pieces), origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of folded text[start:end] (end exclusive, non-empty).

        Everything invisible between the first and last character comes with it, and so do
        any combining marks after the last one (or "Zoe" + U+0308 would leave the diaeresis
        standing beside the redaction).
        """
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        return first, extend_over_marks(self.original, last)


def extend_over_marks(text: str, end: int) -> int:
    """`end` moved past any marks and zero-width joiner sequences that belong to the
    character before it."""
    while end < len(text):
        if is_mark(text[end]):
            end += 1
        elif text[end] == "\u200d" and end + 1 < len(text):
            end += 2  # a joiner binds the next character to this one (emoji sequences)
        else:
            break
    return end


def start_of_cluster(text: str, start: int) -> int:
    """`start` moved back to the character that the marks or joiners at it belong to."""
    while 0 < start <= len(text) - 1 and (is_mark(text[start]) or text[start - 1] == "\u200d"
                                          or text[start] == "\u200d"):
        start -= 1
    return start


def whole_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """The smallest span holding [start, end) that cuts no character from its marks: what a
    selection redacts, so no accent or half an emoji is left beside the box."""
    return start_of_cluster(text, start), extend_over_marks(text, end)
