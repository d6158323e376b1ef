"""The one form system: Django forms rendered by crispy-forms-gds, GOV.UK wording."""

from crispy_forms_gds.helper import FormHelper
from django import forms


class GdsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.legend_size = "s"


YES_NO = [(True, "Yes"), (False, "No")]


def yes_no(label: str, error: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect, help_text=help_text,
        error_messages={"required": error},
    )
