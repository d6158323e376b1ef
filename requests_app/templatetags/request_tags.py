"""Small presentation helpers for request pages and lists."""

import html
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import mark_safe

from requests_app.forms.base import error_links
from requests_app.workflow import STATE_FAMILY

register = template.Library()

# GOV.UK Frontend tag colours by state family (workflow.STATE_FAMILY).
TAG_COLOURS = {
    "new": "govuk-tag--blue",
    "decision": "govuk-tag--purple",
    "in_progress": "govuk-tag--light-blue",
    "paused": "govuk-tag--yellow",
    "done": "govuk-tag--green",
    "ended": "govuk-tag--grey",
    "refused": "govuk-tag--red",
}


@register.filter
def state_tag(state: str, paused: bool = False) -> str:
    """The tag class for a request's state: ``{{ obj.state|state_tag:clock_paused }}``."""
    family = STATE_FAMILY.get(state, "ended")
    if paused and family in ("new", "decision", "in_progress"):
        family = "paused"
    return TAG_COLOURS[family]


@register.filter(name="error_links")
def error_links_filter(form) -> list[tuple[str, str]]:
    """``{% for target, message in form|error_links %}``: the error summary's links, each to an
    input that is on the page (forms.base.error_links)."""
    own = getattr(form, "error_links", None)
    return own() if callable(own) else error_links(form)


def _text(value) -> str:
    """A value as HTML text: what Django's escape() gives (html.escape of its str), without
    its lazy-string wrapper, which costs more than the escaping in a table of hundreds of
    cells. Only for values known to be plain text (never a SafeString that must stay HTML).
    html.escape's five str.replace calls, not one str.translate with a table: translate
    looks every character up in a dict (8 µs for a 46-character name, against 0.6 µs), and a
    page of 25 rows escapes about 300 values."""
    return html.escape(str(value))


@register.simple_tag
def request_rows(rows, last_column="due", today=None):
    """Requests (queues.Row) as table rows: reference, requester, about, type, status, and
    the date due (flagged when overdue) or received. Written here rather than as a loop in
    the template: a page of 25 rows took ~10,000 template calls (a URL reversed, a date
    formatted and eight lookups a row), the biggest part of a list page's Python. Every
    value is escaped by `_text`."""
    before, after = _url_around("request_detail", marker="REFERENCE")
    months = [str(MONTHS_3[m]).title() for m in range(1, 13)]
    out = []

    def day(value):
        return _day(value, months)

    for row in rows:
        if last_column == "received":
            due = day(timezone.localtime(row.received_at))
        elif row.due_date:
            due = day(row.due_date)
            if row.is_open and row.due_date < today:
                due += ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
        else:
            due = "–"
        reference = _text(row.reference)
        out.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{_text(before)}'
            f'{_text(quote(row.reference))}{_text(after)}">{reference}</a></td>'
            f'<td class="govuk-table__cell">{_text(row.requester_name)}<br>'
            f'<span class="govuk-body-s">{_text(row.requester_organisation)}</span></td>'
            f'<td class="govuk-table__cell">{_text(row.subject_names)}</td>'
            f'<td class="govuk-table__cell">{_text(row.type_label)}</td>'
            f'<td class="govuk-table__cell"><strong class="govuk-tag {state_tag(row.state)}">'
            f'{_text(row.state_label)}</strong></td>'
            f'<td class="govuk-table__cell">{due}</td></tr>')
    return mark_safe("\n".join(out))  # every value above went through _text


@register.simple_tag
def select_options(choices, selected):
    """``<option>``s of (value, label) pairs, the selected one marked: one call in place of a
    template loop of ~60 calls an option (the home page's filters have about forty)."""
    return mark_safe("".join(  # every value and label through _text
        f'<option value="{_text(value)}"{" selected" if value == selected else ""}>'
        f"{_text(label)}</option>" for value, label in choices))


CURRENT = 'aria-current="page" '


@register.simple_tag
def work_tabs(tabs, current):
    """The "My work" tabs, (key, label, count or None) each, the current one marked."""
    items = []
    for key, label, count in tabs:  # every key, label and count through _text
        counted = "" if count is None else f' <span class="app-count">({_text(count)})</span>'
        items.append(
            '<li class="moj-sub-navigation__item"><a class="moj-sub-navigation__link" '
            f'{CURRENT if key == current else ""}href="?view={_text(key)}">{_text(label)}'
            f"{counted}</a></li>")
    return mark_safe("\n".join(items))


@register.simple_tag
def record_rows(records):
    """Found children's case records (search.RecordRow) as table rows: name, date of birth,
    record, locality, and whether the case is open and with whom."""
    months = [str(MONTHS[m]) for m in range(1, 13)]
    rows = []
    for record in records:  # every value through _text
        born = _day(record.date_of_birth, months) if record.date_of_birth else ""
        if record.is_open:
            case = "Open" + (f" ({_text(record.allocated_team)})" if record.allocated_team
                             else "")
        else:
            case = "Closed" + (f" (last held by {_text(record.last_team)})" if record.last_team
                               else "")
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell">{_text(record.name)}</td>'
            f'<td class="govuk-table__cell">{born}</td>'
            f'<td class="govuk-table__cell">{_text(record.reference)}</td>'
            f'<td class="govuk-table__cell">{_text(record.locality or "–")}</td>'
            f'<td class="govuk-table__cell">{case}</td></tr>')
    return mark_safe("\n".join(rows))


def _url_around(name: str, *fixed, marker=987654321) -> tuple[str, str]:
    """The URL `name` with these arguments and a marker as its last, as what goes before and
    after the marker: reversed once for a list of links that differ only in that argument
    (the marker is a number for an `int` path converter)."""
    before, _, after = reverse(name, args=[*fixed, marker]).partition(str(marker))
    return before, after


def _day(value, months) -> str:
    """A date as "5 Nov 2026" (or "5 November 2026"), from the months' names given."""
    return f"{value.day} {months[value.month - 1]} {value.year}"


@register.simple_tag
def timeline_items(notes, reference, can_note):
    """The request's case notes and history as MOJ timeline items (views.requests.timeline:
    each note with its `stamp` and `letter`). A tag, not a template loop: a page of 25
    entries took ~14,000 template calls."""
    letter_url = _url_around("letter_download", reference)
    correct_url = _url_around("correct_note", reference)
    items = []
    for note in notes:  # every value through _text
        text = note.text.replace("\r\n", "\n").replace("\r", "\n")
        extra = []
        if note.rule_ids:
            extra.append(f'<p class="govuk-body-s">Rules: {_text(", ".join(note.rule_ids))}</p>')
        if note.letter:
            extra.append(
                f'<p class="govuk-body-s"><a class="govuk-link" href="{_text(letter_url[0])}'
                f'{note.letter.pk}{_text(letter_url[1])}">Download the letter (PDF)<span '
                f'class="govuk-visually-hidden">: {_text(note.letter.title)}</span></a></p>')
        if can_note and note.kind != "correction":
            extra.append(
                f'<p class="govuk-body-s"><a class="govuk-link" href="{_text(correct_url[0])}'
                f'{note.pk}{_text(correct_url[1])}">Add a correction<span '
                f'class="govuk-visually-hidden"> to the note of {_text(note.stamp.short)}'
                "</span></a></p>")
        corrects = " (corrects an earlier note)" if note.corrects_id else ""
        items.append(
            '<div class="moj-timeline__item"><div class="moj-timeline__header">'
            # The title and byline sit on one line: the space between them is the page's.
            f'\n<h3 class="moj-timeline__title">{_text(note.get_kind_display())}{corrects}</h3>'
            f'\n<p class="moj-timeline__byline">by {_text(note.author)}</p>\n</div>'
            f'\n<p class="moj-timeline__date"><time datetime="{_text(note.stamp.iso)}">'
            f"{_text(note.stamp.long)}</time></p>"
            '\n<div class="moj-timeline__description">'
            f'\n<p class="govuk-body">{_text(text).replace(chr(10), "<br>")}</p>'
            f'\n{"\n".join(extra)}\n</div>\n</div>')
    return mark_safe("\n".join(items))
