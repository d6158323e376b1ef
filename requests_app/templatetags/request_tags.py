"""Small presentation helpers for request pages and lists."""

from django import template

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
