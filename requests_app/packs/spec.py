"""The contract between the service layer and the pack engine: plain frozen dataclasses.

Nothing here touches the database; the service layer snapshots the request into a `PackSpec`
and `build_pack` turns it into one PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """A redaction on a page image, as fractions (0..1) of the page, origin top-left."""

    x0: float
    y0: float
    x1: float
    y1: float
    reason_code: str

    def __post_init__(self):
        # A box outside the page or inside out would redact nothing while looking valid.
        if not (0 <= self.x0 < self.x1 <= 1 and 0 <= self.y0 < self.y1 <= 1):
            raise ValueError(f"Box out of range: {self}")


@dataclass(frozen=True)
class TextSpan:
    """Characters [start, end) of a text record's text that must not be disclosed."""

    start: int
    end: int
    reason_code: str


@dataclass(frozen=True)
class TextItem:
    title: str
    text: str
    spans: tuple[TextSpan, ...] = ()
    author: str = ""
    organisation: str = ""
    note: str = ""

    @property
    def redaction_count(self) -> int:
        return len(self.spans)


@dataclass(frozen=True)
class PdfItem:
    title: str
    path: str
    boxes: dict[int, tuple[Box, ...]] = field(default_factory=dict)
    author: str = ""
    organisation: str = ""

    @property
    def redaction_count(self) -> int:
        return sum(len(b) for b in self.boxes.values())


@dataclass(frozen=True)
class ImageItem:
    title: str
    path: str
    boxes: tuple[Box, ...] = ()
    author: str = ""
    organisation: str = ""

    @property
    def redaction_count(self) -> int:
        return len(self.boxes)


Item = TextItem | PdfItem | ImageItem


@dataclass(frozen=True)
class Approval:
    what: str
    name: str
    when: str


@dataclass(frozen=True)
class Withheld:
    title: str
    why: str


@dataclass(frozen=True)
class ReasonCode:
    code: str
    label: str


@dataclass(frozen=True)
class Cover:
    reference: str
    requester: str
    requester_organisation: str
    subjects: tuple[str, ...]
    lawful_basis: str
    approvals: tuple[Approval, ...]
    withheld: tuple[Withheld, ...]
    reasons: tuple[ReasonCode, ...]
    prepared_by: str
    prepared_on: str
    version: int


@dataclass(frozen=True)
class PackSpec:
    cover: Cover
    items: tuple[Item, ...]


@dataclass(frozen=True)
class PackResult:
    sha256: str
    page_count: int
    size: int
    item_pages: tuple[tuple[int, int], ...]  # (first, last) page number of each item, 1-based
