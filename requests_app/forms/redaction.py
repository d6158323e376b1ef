"""Forms for the redaction screen: a selection or a box, a reason, every instance of a term.

The browser fills the hidden offsets (text) or fractions (boxes) from a selection or a drawn
box; the visible fields beside them are the keyboard and no-JavaScript way to say the same
thing, so every redaction can be made without a mouse.
"""

from __future__ import annotations

from django import forms

from requests_app.forms.base import GdsForm
from requests_app.models import RedactionReason

NO_SELECTION = ("Select the text to redact in the record, or type it in ‘Text to redact’")
NO_BOX = "Draw a box over what should be redacted, or enter the box by coordinates"


def reason_field(label: str = "Why is this being redacted?",
                 error: str = "Select why this is being redacted") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, widget=forms.RadioSelect,
        choices=[(code, f"{code} – {name}") for code, name in RedactionReason.choices],
        error_messages={"required": error},
        help_text="The code stands in the pack where the words were.",
    )


def note_field() -> forms.CharField:
    return forms.CharField(label="Note (optional)", required=False, max_length=255,
                           error_messages={"max_length": "The note must be 255 characters or "
                                                         "fewer"})


NO_SELECTED_TEXT = ("The page was out of date, so nothing was redacted: select the words in "
                    "the record again")


class TextRedactionForm(GdsForm):
    """A span of a text record: offsets from a selection, or the words typed in.

    Offsets are code points of `Document.text` (Python string indices), the one unit used end
    to end; the browser converts its selection to them. The words it selected come with them
    (`selected_text`), so the service can refuse offsets that point at other words."""

    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    selected_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    text_to_redact = forms.CharField(
        label="Text to redact", required=False, strip=False,
        help_text="Copy the exact words from the record, including capitals and punctuation.",
    )
    occurrence = forms.IntegerField(
        label="Which occurrence", required=False, min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        help_text="1 for the first time these words appear in the record, 2 for the second, "
                  "and so on.",
        error_messages={"min_value": "Enter 1 or more for which occurrence",
                        "invalid": "Enter which occurrence as a number, like 1 or 2"},
    )
    reason = reason_field()
    note = note_field()

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            # Whether the span lies inside the record, and holds the words the browser showed,
            # is the service's to decide; offsets without the words come from a page loaded
            # before the words were sent with them, whose offsets cannot be trusted.
            if not data.get("selected_text"):
                self.add_error(None, NO_SELECTED_TEXT)
            return data
        typed = data.get("text_to_redact") or ""
        if not typed.strip():
            self.add_error("text_to_redact", NO_SELECTION)
            return data
        spans = _occurrences(self.document.text, typed)
        if not spans:
            self.add_error("text_to_redact",
                           "Those words are not in the record: copy them exactly, including "
                           "capitals and punctuation")
            return data
        which = data.get("occurrence") or 1
        if which > len(spans):
            self.add_error("occurrence",
                           f"Those words appear {len(spans)} time{'s' if len(spans) != 1 else ''}"
                           f" in the record: enter a number from 1 to {len(spans)}")
            return data
        data["start"], data["end"] = spans[which - 1]
        data["selected_text"] = typed
        return data


def _occurrences(text: str, words: str) -> list[tuple[int, int]]:
    found, at = [], text.find(words)
    while at != -1:
        found.append((at, at + len(words)))
        at = text.find(words, at + 1)
    return found


class BoxRedactionForm(GdsForm):
    """A box on one page: fractions from a drawn box, or percentages typed in."""

    page = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    x0 = forms.FloatField(required=False, widget=forms.HiddenInput)
    y0 = forms.FloatField(required=False, widget=forms.HiddenInput)
    x1 = forms.FloatField(required=False, widget=forms.HiddenInput)
    y1 = forms.FloatField(required=False, widget=forms.HiddenInput)
    from_left = forms.FloatField(label="From the left edge (%)", required=False, min_value=0,
                                 max_value=100)
    from_top = forms.FloatField(label="From the top edge (%)", required=False, min_value=0,
                                max_value=100)
    box_width = forms.FloatField(label="Width (%)", required=False, min_value=0, max_value=100)
    box_height = forms.FloatField(label="Height (%)", required=False, min_value=0,
                                  max_value=100)
    reason = reason_field()
    note = note_field()

    PERCENT_FIELDS = ("from_left", "from_top", "box_width", "box_height")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PERCENT_FIELDS:
            label = self.fields[name].label.lower()
            self.fields[name].error_messages.update({
                "invalid": f"Enter the box’s {label} as a number",
                "min_value": f"Enter the box’s {label} from 0 to 100",
                "max_value": f"Enter the box’s {label} from 0 to 100",
            })
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-4"

    def clean(self):
        data = super().clean()
        drawn = [data.get(k) for k in ("x0", "y0", "x1", "y1")]
        if all(v is not None for v in drawn):
            data["box"] = tuple(drawn)
            return data
        typed = [data.get(k) for k in self.PERCENT_FIELDS]
        if any(name in self.errors for name in self.PERCENT_FIELDS):
            return data
        if all(v is not None for v in typed):
            left, top, width, height = (v / 100 for v in typed)
            data["box"] = (left, top, left + width, top + height)
            return data
        self.add_error("from_left", NO_BOX)
        return data


class SuggestionForm(GdsForm):
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    # Accepting may change the suggested reason; blank keeps it.
    reason = forms.ChoiceField(required=False, choices=[("", "")] + RedactionReason.choices)


class EveryInstanceForm(GdsForm):
    """A term or a pattern to find across the request's documents, and why to redact it."""

    term = forms.CharField(
        label="A name, address or other words", required=False,
        help_text="Found whatever the capitals, accents, spacing or line breaks, and with "
                  "hidden characters or look-alike letters from other alphabets, as whole "
                  "words: ‘Zoe’ finds ‘Zoë’, but ‘Ann’ does not find ‘Annual’. Titles, "
                  "authors and organisations in the pack show the reason code instead.",
    )
    pattern = forms.CharField(
        label="Or a pattern", required=False,
        help_text="# stands for one digit, @ for one letter and * for any run of characters "
                  "within a word. For example ##/##/#### finds dates, @@# #@@ finds "
                  "postcodes like NG1 2AB, and Smi* finds Smith and Smithson.",
    )
    documents = forms.ModelMultipleChoiceField(
        label="Which documents?", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one document to search"},
        help_text="Images have no text to search: draw boxes on them instead.",
    )
    reason = reason_field("Why are these being redacted?", "Select why these are being redacted")

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = request_obj.documents.filter(
            is_disclosure_copy=False)
        self.fields["documents"].label_from_instance = lambda d: d.title

    def clean(self):
        data = super().clean()
        term, pattern = (data.get("term") or "").strip(), (data.get("pattern") or "").strip()
        if not term and not pattern:
            self.add_error("term", "Enter a name, address or other words to look for, or a "
                                   "pattern")
        elif term and pattern:
            self.add_error("pattern", "Enter words or a pattern, not both")
        return data
