"""Posting every workflow action with empty answers and with nonsense (issue 11, item 7)."""

from __future__ import annotations

from django import forms

from requests_app import access
from requests_app.models import InformationRequest, User
from requests_app.views.actions import ACTIONS, build_form
from tests.catalogue.helpers import rolled_back

LONG = "x" * 5000


def garbage(form: forms.Form) -> dict:
    """Answers no form should accept as they are: over-long text, choices that do not exist,
    dates that are not dates, numbers that are not numbers."""
    data: dict = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
            data[name] = ["999999999", "not-a-choice"] if isinstance(
                field, forms.MultipleChoiceField) else "999999999"
        elif isinstance(field, forms.DateField):
            data[name] = "31/02/not-a-date"
        elif isinstance(field, forms.IntegerField):
            data[name] = "99999999999999999999999"
        else:
            data[name] = LONG
    return data


def _people(obj):
    """Who holds the request now, a colleague in the council who does not, and an outsider."""
    colleagues = list(User.objects.filter(council=obj.council).order_by("username"))
    holder = next((u for u in colleagues
                   if any(o.mine for o in access.offers_for(u, obj))), None)
    other = next((u for u in colleagues if u != holder), None)
    outsider = User.objects.exclude(council=obj.council).order_by("username").first()
    return [p for p in (holder, other, outsider) if p is not None]


def _says_why(response) -> bool:
    body = response.content.decode(errors="replace")
    return bool(body.strip()) and ("govuk-error" in body or "<h1" in body or
                                   response.status_code in (400, 403, 404))


def sweep(client, obj, failures) -> int:
    """Post every action, empty and with nonsense, as each of `_people`; record any 500 or a
    4xx without a message in `failures`. Returns the number of posts."""
    posted = 0
    for user in _people(obj):
        client.force_login(user)
        for name, spec in ACTIONS.items():
            fresh = InformationRequest.objects.get(pk=obj.pk)
            form = build_form(spec, None, fresh)
            for label, data in (("empty", {}), ("garbage", garbage(form))):
                with rolled_back():
                    response = client.post(f"/requests/{obj.reference}/{name}/", data)
                posted += 1
                where = f"{user.username} {name} ({label}) on {obj.reference} ({obj.state})"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                elif response.status_code != 302 and not (
                        400 <= response.status_code < 500 and _says_why(response)):
                    failures.append(f"{where}: {response.status_code} without a message")
    return posted
