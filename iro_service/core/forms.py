"""GOV.UK Design System markup for Django forms, through Django's form renderer API.

``FORM_RENDERER = "iro_service.core.forms.GovukFormRenderer"`` makes ``{{ form }}`` and
``{{ form.field.as_field_group }}`` render with ``templates/govuk/forms/``. Pages still show
the error summary themselves (``{% include "includes/error_summary.html" %}``) above the h1.
Django's own widget templates are found because "django.forms" is an installed app.

Every date in an HTML form is a ``GovukDateField``: the GOV.UK date input pattern (Day,
Month and Year boxes in a fieldset), its messages and its leniency (leading zeros, spaces,
month names). Post data names the boxes ``<field>_day``, ``<field>_month`` and
``<field>_year``; ``date_input_data`` builds them from a date.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


PARTS = ("day", "month", "year")
DATE_HINT = "For example, 27 3 2007"
ERROR_CLASS = "govuk-input--error"
_WIDTHS = {
    "day": "govuk-input--width-2",
    "month": "govuk-input--width-2",
    "year": "govuk-input--width-4",
}
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class DatePartsError(ValueError):
    """What is wrong with a typed date: ``code`` (incomplete, invalid or year) and the
    boxes that are wrong, in page order."""

    def __init__(self, code: str, parts: tuple[str, ...]) -> None:
        super().__init__(code, parts)
        self.code = code
        self.parts = parts


def _month_number(text: str) -> int | None:
    """1 to 12 from "3", "03", "Mar", "march" or "Sept"; None for anything else."""
    if text.isdecimal():
        number = int(text)
        return number if 1 <= number <= 12 else None
    name = text.lower()
    for number, month in enumerate(_MONTHS, start=1):
        if name == month or name == month[:3] or (number == 9 and name == "sept"):
            return number
    return None


def read_date(day: str | None, month: str | None, year: str | None) -> date | None:
    """The date typed into the three boxes, or None when all three are blank.

    Spaces are ignored, leading zeros and month names are accepted, and the year must have
    4 numbers (a 2-digit year is ambiguous). Raises ``DatePartsError`` naming the boxes
    that are wrong: missing ones first, then ones that cannot be read, then a year that is
    not 4 numbers, then a date that does not exist (31 2 2027: all three boxes).
    """
    texts = ("".join((text or "").split()) for text in (day, month, year))
    typed = dict(zip(PARTS, texts, strict=True))
    if not any(typed.values()):
        return None
    if missing := tuple(part for part in PARTS if not typed[part]):
        raise DatePartsError("incomplete", missing)
    numbers = {
        "day": int(typed["day"]) if typed["day"].isdecimal() else None,
        "month": _month_number(typed["month"]),
        "year": int(typed["year"]) if typed["year"].isdecimal() else None,
    }
    if numbers["day"] is not None and not 1 <= numbers["day"] <= 31:
        numbers["day"] = None
    if unreadable := tuple(part for part in PARTS if numbers[part] is None):
        raise DatePartsError("invalid", unreadable)
    if len(typed["year"]) != 4:
        raise DatePartsError("year", ("year",))
    try:
        return date(numbers["year"], numbers["month"], numbers["day"])
    except ValueError:
        raise DatePartsError("invalid", PARTS) from None


def wrong_parts(value: object) -> tuple[str, ...]:
    """The boxes that are wrong in a typed value (the list the widget reads), if any."""
    if not isinstance(value, list | tuple):
        return ()
    try:
        read_date(*value)
    except DatePartsError as problem:
        return problem.parts
    return ()


def date_input_data(name: str, value: date | None) -> dict[str, str]:
    """The post (or query) data that types ``value`` into the date field ``name``."""
    parts = ("", "", "") if value is None else (value.day, value.month, value.year)
    return {f"{name}_{part}": str(number) for part, number in zip(PARTS, parts, strict=True)}


class GovukDateInput(forms.MultiWidget):
    """Day, Month and Year text boxes (``templates/govuk/forms/date_input.html``).

    The field's error class (``govuk-input--error``, set by the ``govuk_widget`` filter
    when the field has an error) goes only on the boxes that are wrong; on all three when
    the error is about the whole date (missing, or refused by a rule).
    """

    template_name = "govuk/forms/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput for part in PARTS}, attrs)

    def decompress(self, value: date | None) -> list[str | None]:
        if value is None:
            return [None, None, None]
        return [str(value.day), str(value.month), str(value.year)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        in_error = ERROR_CLASS in widget["attrs"].get("class", "").split()
        wrong = (wrong_parts(value) or PARTS) if in_error else ()
        field_id = widget["attrs"].get("id", "")
        for part, box in zip(PARTS, widget["subwidgets"], strict=True):
            classes = ["govuk-input", "govuk-date-input__input", _WIDTHS[part]]
            if part in wrong:
                classes.append(ERROR_CLASS)
            box["label"] = part.capitalize()
            box["attrs"] = {"class": " ".join(classes), "inputmode": "numeric"}
            if field_id:
                box["attrs"]["id"] = f"{field_id}_{part}"
        return context


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input, with the GOV.UK messages.

    ``subject`` names the date in messages ("Date of the review must include a month");
    it defaults to the label, so give one when the label is a question ("By when?").
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter the %(subject_lower)s",
        "incomplete": "%(subject)s must include a %(missing)s",
        "invalid": "%(subject)s must be a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, *, subject: str = "", help_text: str = DATE_HINT, **kwargs: Any) -> None:
        super().__init__(help_text=help_text, **kwargs)
        self.subject = subject

    def _params(self) -> dict[str, str]:
        subject = self.subject or str(self.label or "Date")
        lower = subject[0].lower() + subject[1:] if subject[1:2].islower() else subject
        return {"subject": subject, "subject_lower": lower}

    def to_python(self, value: Any) -> date | None:
        try:
            return read_date(*value)
        except DatePartsError as problem:
            params = {**self._params(), "missing": " and ".join(problem.parts)}
            raise ValidationError(
                self.error_messages[problem.code], code=problem.code, params=params
            ) from None

    def validate(self, value: date | None) -> None:
        if value is None and self.required:
            raise ValidationError(
                self.error_messages["required"], code="required", params=self._params()
            )
