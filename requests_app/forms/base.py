"""The one form system: Django forms rendered by crispy-forms-gds, GOV.UK wording."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone


class GdsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.legend_size = "s"


def error_target(field: forms.BoundField) -> str:
    """The id on the page of the input an error about ``field`` leads to: a group of radios
    or check boxes to its first option, a date to its day (GOV.UK error summary). The error
    summary's script moves the focus there when its link is followed (WCAG 2.4.3, 3.3.1)."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_1"  # crispy-forms-gds numbers the options from 1
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    return field.auto_id


def error_links(form: forms.Form, *, targets: dict[str, str] | None = None,
                first: str = "") -> list[tuple[str, str]]:
    """(the id to link to, the message) for each of the form's errors, in page order: the
    form's own errors to ``first`` (else its first field), a date's part's errors to that part,
    and ``targets`` naming an input for a field drawn by the page itself."""
    targets = targets or {}
    fields = [form[name] for name in form.fields
              if not form[name].is_hidden or name in targets]

    def target(field):
        return targets.get(field.name) or error_target(field)

    first = first or next((target(f) for f in fields if not f.is_hidden), "")
    links = [(first, str(error)) for error in form.non_field_errors()]
    for field in fields:
        seen = []
        for index, part in enumerate(getattr(field.field, "fields", ())):
            part_errors = getattr(part.widget, "errors", [])
            links += [(f"{field.auto_id}_{index}", str(error)) for error in part_errors]
            seen += part_errors
        links += [(target(field), str(error)) for error in field.errors if error not in seen]
    return links


YES_NO = [(True, "Yes"), (False, "No")]


def yes_no(label: str, error: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect, help_text=help_text,
        error_messages={"required": error},
    )


class GdsDateField(DateInputField):
    """A GOV.UK date input (day, month, year) with the service's own wording: ``name`` is how
    the question is referred to in errors ("Enter the date the request was received")."""

    def __init__(self, *, name: str, not_future: bool = False, **kwargs):
        # Each of day, month and year is asked for on its own once any is given.
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.name, self.not_future = name, not_future
        self.error_messages["required"] = self.error_messages["incomplete"] = f"Enter {name}"
        subject = name[0].upper() + name[1:]
        self.real = f"{subject} must be a real date"
        for part, what in zip(self.fields, ("day", "month", "year"), strict=True):
            part.validators = [RegexValidator(r"^\s*[0-9]+\s*$", self.real)]
            part.error_messages["incomplete"] = f"{subject} must include a {what}"
        self.future = f"{subject} must be today or in the past"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.real, code="invalid") from None
        if value.year < 1900:
            raise ValidationError(self.real, code="invalid")
        if self.not_future and value > timezone.localdate():
            raise ValidationError(self.future, code="future")
        return value
