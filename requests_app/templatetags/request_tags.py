"""Small presentation helpers for request pages and lists."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
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


@register.simple_tag
def request_rows(rows, last_column="due", today=None):
    """Requests (queues.Row) as table rows: reference, requester, about, type, status, and
    the date due (flagged when overdue) or received. Written here rather than as a loop in
    the template: a page of 25 rows took ~10,000 template calls (a URL reversed, a date
    formatted and eight lookups a row), the biggest part of a list page's Python."""
    # The detail URL of one reference, then the same prefix and suffix for the rest.
    marker = "REFERENCE"
    before, _, after = reverse("request_detail", args=[marker]).partition(marker)
    months = [str(MONTHS_3[m]).title() for m in range(1, 13)]
    html = []
    def day(value):
        return format_html("{} {} {}", value.day, months[value.month - 1], value.year)

    for row in rows:
        if last_column == "received":
            due = day(timezone.localtime(row.received_at))
        elif row.due_date:
            due = day(row.due_date)
            if row.is_open and row.due_date < today:
                due += mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')
        else:
            due = "–"
        html.append(format_html(
            '<tr class="govuk-table__row">'
            '<td class="govuk-table__cell"><a class="govuk-link" href="{}{}{}">{}</a></td>'
            '<td class="govuk-table__cell">{}<br><span class="govuk-body-s">{}</span></td>'
            '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>'
            '<td class="govuk-table__cell">{}</td></tr>',
            before, quote(row.reference), after, row.reference, row.requester_name,
            row.requester_organisation, row.subject_names, row.type_label,
            state_tag(row.state), row.state_label, due))
    return mark_safe("\n".join(html))  # each row built by format_html, which escapes


@register.simple_tag
def select_options(choices, selected):
    """``<option>``s of (value, label) pairs, the selected one marked: one call in place of a
    template loop of ~60 calls an option (the home page's filters have about forty)."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (value, mark_safe(" selected") if value == selected else "", label)
        for value, label in choices))
