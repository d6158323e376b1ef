"""What the catalogue tests share: the demo loaded once, valid answers for any action's form,
and the rule IDs a council may show."""

from __future__ import annotations

import html
import io
import re
from contextlib import contextmanager
from datetime import date

from django import forms
from django.core.management import call_command
from django.db import transaction

from policies.rules import rules

# Answers that satisfy what a gate asks (a "valid form" is one its own rules accept).
FAVOURABLE = {
    "parents_informed": "informed",
    "family_informed_after": "informed",
    "child_permission": "given",
    "deletion_requested": "False",
    "requester_attended_or_invited": "True",
    "medium": "microfilm",
}
PREFIX = {"nottinghamshire": "NOTTS", "devon": "DEVON", "camden": "CAMDEN",
          "brighton_hove": "BH"}
RULE_ID = re.compile(r"\b(NOTTS|DEVON|CAMDEN|BH|ALL)-\d+(?:\.\d+)*\b")


def known_rule_ids() -> set[str]:
    return set(rules())


def foreign_rule_ids(text: str, council_slug: str) -> set[str]:
    """Rule IDs in `text` that belong to another council (ALL-* are everyone's)."""
    own = PREFIX[council_slug]
    return {m.group(0) for m in RULE_ID.finditer(text)
            if m.group(1) not in (own, "ALL") and m.group(0) in known_rule_ids()}


def load_whole_demo() -> None:
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


@contextmanager
def rolled_back():
    """Try something and undo it: the next attempt starts from the same state."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def valid_data(form: forms.Form) -> dict:
    """Answers to every field of an action's form that its council's rules accept."""
    data: dict = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            first = field.queryset.first()
            if first is not None and (field.required or name == "worker"):
                data[name] = str(first.pk)
        elif isinstance(field, forms.MultipleChoiceField):
            data[name] = [str(value) for value, _ in field.choices]
        elif isinstance(field, forms.ChoiceField):
            choices = [str(v) for v, _ in field.choices if str(v)]
            wanted = FAVOURABLE.get(name)
            if wanted in choices:
                data[name] = wanted
            elif choices:
                data[name] = choices[0]
        elif isinstance(field, forms.BooleanField):
            data[name] = "on"
        elif isinstance(field, forms.IntegerField):
            data[name] = "5"
        elif isinstance(field, forms.DateField):
            data[name] = date.today().isoformat()
        else:
            data[name] = "Recorded for the test."
    return data


def shown(page: str, reference: str) -> tuple[set[str], dict[str, list[str]]]:
    """The actions a request page offers: enabled links, and disabled buttons with reasons."""
    enabled = set(re.findall(rf'href="/requests/{re.escape(reference)}/([a-z_]+)/"'
                             r' *>', page))
    enabled |= set(re.findall(
        rf'class="govuk-button[^"]*" href="/requests/{re.escape(reference)}/([a-z_]+)/"', page))
    disabled = {}
    for name, items in re.findall(r'<ul class="govuk-list govuk-body-s" id="why-([a-z_]+)">'
                                  r"(.*?)</ul>", page, flags=re.S):
        disabled[name] = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", items)]
    return enabled, disabled
