"""`get_<field>_display()` read from a dictionary built once (issue 12).

Django's own version rebuilds a dictionary of every choice, through `make_hashable`, each time
it is called: a list of 25 requests shows two labels a row, and that alone cost ~5 ms a page.
The answer is the same: the label of the stored value, or the value itself when it has none.
"""

from __future__ import annotations

from functools import partialmethod

from django.utils.encoding import force_str


def _label_reader(name: str, labels: dict):
    def display(self):
        value = getattr(self, name)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (never stored by our fields): as Django does
            label = value
        return force_str(label, strings_only=True)

    display.__name__ = f"get_{name}_display"
    return display


def install(models) -> None:
    """Replace Django's generated `get_<field>_display` of each model's fields with choices;
    a method a model defines itself is left alone."""
    for model in models:
        for field in model._meta.concrete_fields:
            method = f"get_{field.name}_display"
            if field.choices is None or not isinstance(model.__dict__.get(method),
                                                       partialmethod):
                continue
            labels = dict(field.flatchoices)
            setattr(model, method, _label_reader(field.attname, labels))
