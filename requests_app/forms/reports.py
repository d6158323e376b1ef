"""The filters every report takes: the dates received and, optionally, a team."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from requests_app.forms.base import GdsDateField, GdsForm
from requests_app.models import Team


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months (365 days), today included."""
    return today - timedelta(days=364), today


class ReportFilterForm(GdsForm):
    received_from = GdsDateField(
        label="Received from", name="the first date received", required=False,
        help_text="For example, 1 4 2026. Leave empty for the last twelve months.")
    received_to = GdsDateField(
        label="Received to", name="the last date received", required=False,
        help_text="This day is included.")
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False,
        empty_label="All teams", help_text="The team the request is with now.")

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = default_period(timezone.localdate())
        self.fields["received_from"].initial, self.fields["received_to"].initial = start, end
        # Only the reader's own council's teams can be chosen: another council's team id
        # in the address is "not one of the choices", never another council's figures.
        self.fields["team"].queryset = Team.objects.filter(council=council).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = default_period(timezone.localdate())
        data["received_from"] = data.get("received_from") or start
        data["received_to"] = data.get("received_to") or end
        if not self.errors and data["received_from"] > data["received_to"]:
            self.add_error("received_to", "The last date received must be the same as or "
                                          "after the first date received")
        return data
