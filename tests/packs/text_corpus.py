"""A leak corpus of text records, built by this script: unique names planted in spellings that
look alike on the page, among emoji, combining marks and right-to-left text, and in the fields
a pack prints about a record (title, author, organisation).

Run it to see the corpus: `uv run python -m tests.packs.text_corpus`.

Every planted name is unique to its case (a letter tag: "Ashcombeqb"), so finding it in a pack
is a leak, never an innocent repeat. `recovered` reads a pack back the ways a recipient could
(pdftotext, pdfium, every object and decoded stream) and folds what it reads the same way the
redaction search does, so "Zo\\u0308e" or "J\\u00adohn" in the output count as found.
"""

from __future__ import annotations

import itertools
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from requests_app.redaction.folding import fold
from tests.packs.factories import all_object_bytes, pdfium_texts, poppler_texts

# ---- spellings -------------------------------------------------------------------------------


def _inside(word: str, char: str) -> str:
    """`char` between the middle two letters of a word (invisible characters hide there)."""
    middle = len(word) // 2
    return word[:middle] + char + word[middle:]


def _each_word(change: Callable[[str], str]) -> Callable[[str], str]:
    return lambda name: " ".join(change(w) if len(w) >= 3 else w for w in name.split(" "))


def _first(table: dict[str, str]) -> Callable[[str], str]:
    """Swap the first letter found in `table` for its look-alike."""
    def swap(name: str) -> str:
        for index, char in enumerate(name):
            if char in table:
                return name[:index] + table[char] + name[index + 1:]
        raise ValueError(f"No letter of {name!r} has a look-alike")
    return swap


SPELLINGS: dict[str, Callable[[str], str]] = {
    "as typed": lambda name: name,
    "decomposed accents": lambda name: unicodedata.normalize("NFD", name),
    "soft hyphen": _each_word(lambda w: _inside(w, "\u00ad")),
    "zero-width space": _each_word(lambda w: _inside(w, "\u200b")),
    "zero-width joiner": _each_word(lambda w: _inside(w, "\u200d")),
    "word joiner and BOM": _each_word(lambda w: _inside(_inside(w, "\u2060"), "\ufeff")),
    "Cyrillic a": _first({"a": "\u0430", "A": "\u0410"}),
    "Greek capitals": lambda name: _first({"A": "\u0391", "O": "\u039f", "E": "\u0395",
                                           "Z": "\u0396", "N": "\u039d"})(name.upper()),
    "non-breaking space": lambda name: name.replace(" ", "\u00a0"),
    "line break": lambda name: name.replace(" ", "\n", 1),
    "full-width": lambda name: "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha()
                                       else c for c in name),
    "upper case, precomposed": lambda name: unicodedata.normalize("NFC", name.upper()),
}

# What surrounds a planted name in a record.
CONTEXTS = {
    "emoji first": ("\U0001F469\u200d\U0001F467\u200d\U0001F466\U0001F389\U0001F44D\U0001F3FD "
                    "Visit on 3 May. The neighbour ", " called by."),
    "combining marks": ("Cafe\u0301 visit: the nai\u0308ve worker met ", " at the cre\u0300che."),
    "right to left": ("\u05d4\u05e9\u05db\u05df ", " \u05d4\u05d2\u05d9\u05e2. "
                      "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645."),
    "mixed direction": ("\u202bRTL embed\u202c then \u2067isolate\u2069 then ", " again."),
}


# ---- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """A name as staff would type it, and as this record writes it."""

    canonical: str
    written: str


@dataclass(frozen=True)
class TextCase:
    key: str
    title: str
    author: str
    organisation: str
    text: str
    person: Planted
    place: Planted

    @property
    def planted(self) -> tuple[Planted, Planted]:
        return self.person, self.place


def _tags():
    for a, b in itertools.product(string.ascii_lowercase, repeat=2):
        yield f"q{a}{b}"


def build_corpus() -> list[TextCase]:
    """One case per spelling, contexts taken in turn; every case plants a person and an
    organisation in the text, the title, the author and the organisation fields."""
    tags = _tags()
    cases = []
    contexts = itertools.cycle(CONTEXTS.items())
    for spelling, change in SPELLINGS.items():
        context_name, (before, after) = next(contexts)
        tag = next(tags)
        person = Planted(f"Zoë Ashcombe{tag}", change(f"Zoë Ashcombe{tag}"))
        place = Planted(f"Brackwell{tag} Trust", change(f"Brackwell{tag} Trust"))
        text = (f"{before}{person.written}{after}\n"
                f"Referred by {place.written} after a call.\n"
                f"Later {person.canonical} of {place.canonical} wrote again.")
        cases.append(TextCase(
            key=f"{spelling} / {context_name}",
            title=f"Letter from {person.written}",
            author=person.written,
            organisation=place.written,
            text=text,
            person=person,
            place=place,
        ))
    return cases


# ---- reading a pack back -----------------------------------------------------------------------


def flat(text: str) -> str:
    """Folded, with every run of whitespace one space (a name may wrap onto the next line)."""
    return " ".join(fold(text).split())


def in_source(case: TextCase) -> dict[str, list[str]]:
    """Where each planted name can be read in the record as stored (text and fields)."""
    fields = {"text": case.text, "title": case.title, "author": case.author,
              "organisation": case.organisation}
    return {p.canonical: [name for name, value in fields.items()
                          if flat(p.canonical) in flat(value)] for p in case.planted}


def recovered(pack: Path, names: list[str]) -> dict[str, list[str]]:
    """Which of `names` can be read from the pack, and by which route."""
    routes = {
        "pdftotext": flat("\n".join(poppler_texts(pack))),
        "pdfium": flat("\n".join(pdfium_texts(pack))),
    }
    raw = all_object_bytes(pack)
    routes["objects (utf-8)"] = flat(raw.decode("utf-8", "replace"))
    routes["objects (utf-16)"] = flat(raw.decode("utf-16-be", "replace")
                                      + raw[1:].decode("utf-16-be", "replace"))
    found = {}
    for name in names:
        # The whole name, and its unique word alone (the rest of a name is common words).
        needles = {flat(name), *(flat(w) for w in name.split() if "q" in w[-3:])}
        routes_found = [route for route, text in routes.items()
                        if any(needle in text for needle in needles)]
        if routes_found:
            found[name] = routes_found
    return found


if __name__ == "__main__":
    for case in build_corpus():
        print(f"{case.key}:\n  title={case.title!r}\n  author={case.author!r}\n"
              f"  organisation={case.organisation!r}\n  text={case.text!r}")
