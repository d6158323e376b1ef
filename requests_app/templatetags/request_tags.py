"""Small presentation helpers for request pages and lists."""

from django import template

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
