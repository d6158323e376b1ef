"""What a pack prints *about* documents must not say what their redactions removed.

A third party's name redacted from a record's text would still be disclosed if the pack's
index, the record's heading or the cover printed the record's author, title or organisation
as typed. `PrintedTerms` holds every redacted term of a request and replaces each of them,
in any of its spellings (`folding`), by its reason code wherever the pack prints a field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .folding import fold
from .matching import find_in_folded, term_regex

# A redaction's text longer than this is a passage, not a name or a term: no printed field
# (titles are at most 200 characters) could hold it whole, and compiling it would be wasted.
MAX_TERM_LENGTH = 500


@dataclass(frozen=True)
class PrintedTerms:
    """Redacted terms and their reason codes, ready to clean printed fields."""

    terms: tuple[tuple[re.Pattern, str], ...] = ()
    used: set[str] = field(default_factory=set, compare=False)  # codes printed so far

    @classmethod
    def of(cls, redacted: Iterable[tuple[str, str]]) -> PrintedTerms:
        """From (text, reason code) pairs; the first code given for a term is kept."""
        seen, terms = set(), []
        for text, code in redacted:
            text = (text or "").strip()
            key = fold(text)
            if not text or len(text) > MAX_TERM_LENGTH or key in seen:
                continue
            regex = term_regex(text)
            if regex is not None:  # too short to search for (one letter) is left alone
                seen.add(key)
                terms.append((regex, code))
        return cls(tuple(terms))

    def clean(self, value: str) -> str:
        """`value` with every redacted term replaced by "[CODE]"."""
        if not value or not self.terms:
            return value
        spans = sorted((start, end, code) for regex, code in self.terms
                       for start, end in find_in_folded(value, regex))
        merged: list[list] = []
        for start, end, code in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                if code not in merged[-1][2]:
                    merged[-1][2].append(code)
            else:
                merged.append([start, end, [code]])
        out, position = [], 0
        for start, end, codes in merged:
            self.used.update(codes)
            out += [value[position:start], f"[{', '.join(codes)}]"]
            position = end
        out.append(value[position:])
        return "".join(out)

    def clean_all(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.clean(v) for v in values)
