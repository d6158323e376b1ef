"""Copy pages between PDFs carrying only what draws the page, and check the result.

A page copied with its whole object graph can drag along far more than it shows: an annotation
whose /P or /Dest points at a redacted page pulls that page's original content stream into the
pack; an image's /Metadata or a JPEG's EXIF block can hold an author or a GPS position. So a
copied page is rebuilt from its box, rotation, resources and contents only, and its resources
are scrubbed first. After writing, `verify_clean` reads the finished file back and refuses it if
anything on the deny lists survived.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# Keys that carry metadata, interactivity or links to other parts of a document.
DROP_KEYS = frozenset({
    "/Metadata", "/PieceInfo", "/StructParent", "/StructParents", "/AA", "/A", "/JS",
    "/JavaScript", "/URI", "/OpenAction", "/EmbeddedFiles", "/EF", "/Names", "/Thumb", "/Annots",
    "/B", "/Dests", "/Outlines", "/AcroForm", "/Parent", "/LastModified", "/ID", "/OPI",
})
# Objects a page's drawing never needs; a reference to one is cut, whatever key it sits under.
DROP_TYPES = frozenset({
    "/Page", "/Pages", "/Catalog", "/Annot", "/Filespec", "/EmbeddedFile", "/Outlines",
    "/Action", "/Metadata", "/StructTreeRoot", "/StructElem", "/Sig", "/Thread", "/Bead",
})
INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _type_of(obj) -> str | None:
    try:
        kind = obj.get("/Type")
    except (AttributeError, TypeError):
        return None
    return str(kind) if isinstance(kind, Name) else None


def _forbidden(obj) -> bool:
    return isinstance(obj, (Dictionary, Stream)) and _type_of(obj) in DROP_TYPES


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Drop EXIF/XMP (APP1), other APPn and comment segments from a baseline JPEG stream.

    Keeps APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform), which
    change how the pixels look. Returns the data unchanged if it is not a JPEG we can walk.
    """
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the rest is entropy-coded image data
            out += data[i:]
            return bytes(out)
        length = int.from_bytes(data[i + 2:i + 4], "big")
        segment = data[i:i + 2 + length]
        keep = not ((0xE1 <= marker <= 0xEF and marker not in (0xE2, 0xEE)) or marker == 0xFE)
        if keep:
            out += segment
        i += 2 + length
    return data


class Scrubber:
    """Scrub the resource graphs of pages from one source PDF, visiting shared objects once."""

    def __init__(self):
        self.seen: set[tuple[int, int]] = set()

    def scrub(self, root) -> None:
        stack = [root]
        while stack:
            obj = stack.pop()
            if obj.is_indirect:
                if obj.objgen in self.seen:
                    continue
                self.seen.add(obj.objgen)
            if isinstance(obj, (Dictionary, Stream)):
                for key in list(obj.keys()):
                    value = obj[key]
                    if key in DROP_KEYS or _forbidden(value):
                        del obj[key]
                    elif isinstance(value, (Dictionary, Stream, Array)):
                        stack.append(value)
                if isinstance(obj, Stream) and obj.get("/Subtype") == Name.Image:
                    _strip_image(obj)
            elif isinstance(obj, Array):
                for index, value in enumerate(obj):
                    if _forbidden(value):
                        obj[index] = None
                    elif isinstance(value, (Dictionary, Stream, Array)):
                        stack.append(value)


def _strip_image(image: Stream) -> None:
    filters = image.get("/Filter")
    if isinstance(filters, Array) and len(filters) == 1:
        filters = filters[0]
    if filters == Name.DCTDecode:
        raw = image.read_raw_bytes()
        stripped = strip_jpeg_metadata(raw)
        if stripped != raw:
            image.write(stripped, filter=Name.DCTDecode, decode_parms=image.get("/DecodeParms"))


def _inherited(page: Dictionary, key: str):
    node = page
    for _ in range(64):  # a malformed /Parent loop must not hang the build
        if key in node:
            return node[key]
        if "/Parent" not in node:
            return None
        node = node["/Parent"]
    return None


def _foreign(out: pikepdf.Pdf, source: pikepdf.Pdf, obj):
    # copy_foreign takes indirect objects only; a direct one is made indirect in the source
    # first (the source is never saved, so this changes nothing on disk).
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _rect(value) -> Array:
    return Array([float(v) for v in value])


def copy_page(out: pikepdf.Pdf, source: pikepdf.Pdf, source_page: Dictionary,
              scrubber: Scrubber, position: int | None = None) -> None:
    """Add to `out` (at the end, or at `position`) a page drawing what `source_page` draws.

    Only the boxes, rotation, resources and contents are carried; nothing else of the page.
    """
    attrs = {key: _inherited(source_page, key) for key in INHERITABLE}
    resources = attrs["/Resources"] if attrs["/Resources"] is not None else Dictionary()
    scrubber.scrub(resources)
    contents = source_page.get("/Contents")
    if contents is not None:
        # Content streams are drawn, not read for keys, but their dictionaries can carry
        # /Metadata like any stream.
        scrubber.scrub(contents)
    media = attrs["/MediaBox"] if attrs["/MediaBox"] is not None else [0, 0, 612, 792]
    page = Dictionary(Type=Name.Page, MediaBox=_rect(media),
                      Resources=_foreign(out, source, resources))
    if attrs["/CropBox"] is not None:
        page.CropBox = _rect(attrs["/CropBox"])
    if attrs["/Rotate"] is not None and int(attrs["/Rotate"]) % 360:
        page.Rotate = int(attrs["/Rotate"]) % 360
    if contents is not None:
        page.Contents = _foreign(out, source, contents)
    if position is None:
        out.pages.append(pikepdf.Page(page))
    else:
        out.pages.insert(position, pikepdf.Page(page))


class PackVerificationError(Exception):
    """The written pack still holds something that must never leave the council."""


ALLOWED_INFO = {"/Title", "/Producer"}


def verify_clean(pdf: pikepdf.Pdf) -> None:
    """Raise PackVerificationError if any object in the written file is on a deny list."""
    problems = []
    info_keys = set(pdf.docinfo.keys()) if "/Info" in pdf.trailer else set()
    if info_keys - ALLOWED_INFO:
        problems.append(f"document information keys {sorted(info_keys - ALLOWED_INFO)}")
    root_keys = set(pdf.Root.keys()) - {"/Type", "/Pages"}
    if root_keys:
        problems.append(f"catalog keys {sorted(root_keys)}")
    for obj in pdf.objects:
        if not isinstance(obj, (Dictionary, Stream)):
            continue
        kind = _type_of(obj)
        if kind in DROP_TYPES - {"/Page", "/Pages", "/Catalog"}:
            problems.append(f"object {obj.objgen} of type {kind}")
        bad = {"/Metadata", "/Annots", "/AA", "/JS", "/JavaScript", "/URI", "/OpenAction",
               "/EmbeddedFiles", "/EF", "/PieceInfo", "/Thumb", "/AcroForm", "/Outlines"}
        found = bad.intersection(obj.keys())
        if found:
            problems.append(f"object {obj.objgen} has {sorted(found)}")
    if problems:
        raise PackVerificationError("; ".join(problems[:10]))
