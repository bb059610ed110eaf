"""The project's select.html writes options in Python (``govuk.select_options``): the same
HTML as Django's own select templates, whatever the choices."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from iro_service.core.forms import GovukFormRenderer

CHOICES = [
    ("", "Any IRO"),
    (7, "Amy O'Neil & <Co>"),
    ("Team A", [("a", 'Ann "Nan" Smith'), ("b", "Bob")]),
    (12, "Zoë"),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES, attrs={"class": "govuk-select"}), 7),
        (forms.Select(choices=CHOICES), "b"),
        (forms.Select(choices=CHOICES), None),
        (forms.SelectMultiple(choices=CHOICES), ["a", 12]),
        (forms.NullBooleanSelect(), True),
    ],
)
def test_options_are_written_as_djangos_templates_write_them(widget, value):
    ours = widget.render("iro", value, attrs={"id": "id_iro"}, renderer=GovukFormRenderer())
    djangos = widget.render("iro", value, attrs={"id": "id_iro"}, renderer=DjangoTemplates())
    assert "<option" in ours
    assert ours == djangos
