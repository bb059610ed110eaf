"""The GOV.UK date input (iro_service.core.forms): Day, Month and Year boxes in a fieldset,
the GOV.UK messages, and the error summary link to the first box that is wrong."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from iro_service.core.forms import (
    PARTS,
    DatePartsError,
    GovukDateField,
    date_input_data,
    read_date,
)


class ReviewDateForm(forms.Form):
    on = GovukDateField(label="Date of the review")


class OptionalForm(forms.Form):
    by = GovukDateField(label="By when?", subject="Date it must happen by", required=False)


class FutureRuleForm(ReviewDateForm):
    def clean_on(self) -> date:
        if self.cleaned_data["on"] > date(2027, 1, 1):
            raise forms.ValidationError("Date of the review cannot be in the future")
        return self.cleaned_data["on"]


def typed(day: str, month: str, year: str, name: str = "on") -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def errors(day: str, month: str, year: str) -> list[str]:
    form = ReviewDateForm(typed(day, month, year))
    assert not form.is_valid()
    return form.errors["on"]


class Element(dict):
    """A start tag's attributes, with ``tag`` and the ``text`` inside it."""

    def classes(self) -> list[str]:
        return self.get("class", "").split()


class Page(HTMLParser):
    """The elements of a fragment, in document order (enough to check markup)."""

    VOID = {"input", "br", "img", "meta", "link"}

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element({name: value or "" for name, value in attrs}, tag=tag, text="")
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element["text"] += data

    def all(self, tag: str, css_class: str = "") -> list[Element]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and (not css_class or css_class in e.classes())
        ]

    def by_id(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.get("id") == element_id)


def page(form: forms.Form) -> Page:
    """The form as a page shows it: error summary, then the fields."""
    return Page(render_to_string("includes/error_summary.html", {"form": form}) + form.as_div())


# --- reading what was typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "2027", date(2027, 3, 27)),
        ("07", "03", "2027", date(2027, 3, 7)),
        (" 7 ", " 3", "2027 ", date(2027, 3, 7)),
        ("1", "Jan", "2027", date(2027, 1, 1)),
        ("1", "january", "2027", date(2027, 1, 1)),
        ("1", "SEPT", "2027", date(2027, 9, 1)),
        ("29", "2", "2028", date(2028, 2, 29)),
        ("1", "2", "20 27", date(2027, 2, 1)),
    ],
)
def test_a_real_date_is_read_with_leading_zeros_spaces_and_month_names(day, month, year, expected):
    form = ReviewDateForm(typed(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == expected


@given(st.dates(min_value=date(1000, 1, 1)))
def test_date_input_data_types_back_the_same_date(value):
    data = date_input_data("on", value)
    assert read_date(data["on_day"], data["on_month"], data["on_year"]) == value


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_anything_typed_is_a_date_nothing_or_a_named_problem(day, month, year):
    try:
        value = read_date(day, month, year)
    except DatePartsError as problem:
        assert problem.code in ReviewDateForm.base_fields["on"].error_messages
        assert problem.parts and set(problem.parts) <= set(PARTS)
    else:
        assert value is None or isinstance(value, date)


def test_nothing_typed_asks_for_the_date():
    assert errors("", "", "") == ["Enter the date of the review"]
    assert errors(" ", "", "  ") == ["Enter the date of the review"]


def test_nothing_typed_in_an_optional_date_is_no_date():
    form = OptionalForm(typed("", "", "", name="by"))
    assert form.is_valid()
    assert form.cleaned_data["by"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2027", "Date of the review must include a day"),
        ("27", "", "2027", "Date of the review must include a month"),
        ("27", "3", "", "Date of the review must include a year"),
        ("", "", "2027", "Date of the review must include a day and month"),
        ("", "3", "", "Date of the review must include a day and year"),
        ("27", "", "", "Date of the review must include a month and year"),
    ],
)
def test_each_missing_part_is_named(day, month, year, message):
    assert errors(day, month, year) == [message]


def test_a_part_missing_from_an_optional_date_is_named_with_its_subject():
    form = OptionalForm(typed("1", "", "2027", name="by"))
    assert not form.is_valid()
    assert form.errors["by"] == ["Date it must happen by must include a month"]


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("31", "2", "2027"),
        ("29", "2", "2027"),
        ("31", "4", "2027"),
        ("0", "3", "2027"),
        ("32", "3", "2027"),
        ("27", "13", "2027"),
        ("27", "0", "2027"),
        ("x", "3", "2027"),
        ("27", "Marchember", "2027"),
        ("27", "3", "twenty"),
        ("-1", "3", "2027"),
        ("2.5", "3", "2027"),
        ("\N{SUPERSCRIPT TWO}", "3", "2027"),
    ],
)
def test_an_impossible_or_non_numeric_date_must_be_a_real_date(day, month, year):
    assert errors(day, month, year) == ["Date of the review must be a real date"]


@pytest.mark.parametrize("year", ["27", "202", "02027"])
def test_a_year_without_4_numbers_is_refused(year):
    assert errors("27", "3", year) == ["Year must include 4 numbers"]


def test_a_rule_on_the_date_keeps_its_own_message():
    form = FutureRuleForm(typed("1", "2", "2030"))
    assert not form.is_valid()
    assert form.errors["on"] == ["Date of the review cannot be in the future"]


def test_the_subject_follows_a_label_changed_after_the_form_is_made():
    form = ReviewDateForm(typed("", "", ""))
    form.fields["on"].label = "Date the decisions were sent"
    assert not form.is_valid()
    assert form.errors["on"] == ["Enter the date the decisions were sent"]


# --- the markup ---------------------------------------------------------------------------


def test_the_date_is_a_fieldset_with_a_legend_hint_and_three_numeric_boxes():
    doc = page(ReviewDateForm(initial={"on": date(2027, 3, 7)}))
    [fieldset] = doc.all("fieldset", "govuk-fieldset")
    assert fieldset["role"] == "group"
    assert fieldset["aria-describedby"] == "id_on-hint"
    assert doc.all("legend")[0]["text"] == "Date of the review"
    assert doc.by_id("id_on-hint")["text"] == "For example, 27 3 2007"
    assert "govuk-date-input" in doc.by_id("id_on").classes()
    assert len(doc.all("div", "govuk-date-input__item")) == 3
    labels = doc.all("label", "govuk-date-input__label")
    assert [label["text"] for label in labels] == ["Day", "Month", "Year"]
    assert [label["for"] for label in labels] == ["id_on_day", "id_on_month", "id_on_year"]
    boxes = doc.all("input")
    assert [box["name"] for box in boxes] == ["on_day", "on_month", "on_year"]
    assert [box["id"] for box in boxes] == ["id_on_day", "id_on_month", "id_on_year"]
    assert [box["value"] for box in boxes] == ["7", "3", "2027"]
    assert {box["inputmode"] for box in boxes} == {"numeric"}
    assert {box["type"] for box in boxes} == {"text"}
    assert [box.classes() for box in boxes] == [
        ["govuk-input", "govuk-date-input__input", "govuk-input--width-2"],
        ["govuk-input", "govuk-date-input__input", "govuk-input--width-2"],
        ["govuk-input", "govuk-date-input__input", "govuk-input--width-4"],
    ]
    assert not doc.all("div", "govuk-error-summary")
    assert not doc.all("div", "govuk-form-group--error")
    assert all("aria-describedby" not in box for box in boxes)


def _error_boxes(doc: Page) -> list[str]:
    return [box["name"] for box in doc.all("input", "govuk-input--error")]


def _summary_link(doc: Page) -> str:
    assert len(doc.all("div", "govuk-error-summary")) == 1
    return next(e["href"] for e in doc.elements if e["tag"] == "a" and "href" in e)


@pytest.mark.parametrize(
    ("day", "month", "year", "wrong"),
    [
        ("27", "", "2027", ["on_month"]),
        ("", "3", "", ["on_day", "on_year"]),
        ("27", "3", "27", ["on_year"]),
        ("x", "3", "2027", ["on_day"]),
        ("27", "14", "2027", ["on_month"]),
        ("31", "2", "2027", ["on_day", "on_month", "on_year"]),
        ("", "", "", ["on_day", "on_month", "on_year"]),
    ],
)
def test_only_the_wrong_boxes_are_marked_and_the_summary_links_to_the_first(
    day, month, year, wrong
):
    doc = page(ReviewDateForm(typed(day, month, year)))
    assert _error_boxes(doc) == wrong
    assert _summary_link(doc) == f"#id_{wrong[0]}"
    assert len(doc.all("div", "govuk-form-group--error")) == 1
    assert doc.all("fieldset")[0]["aria-describedby"] == "id_on-hint id_on-error"
    message = doc.by_id("id_on-error")
    assert message["text"].startswith("Error:")
    assert "govuk-error-message" in message.classes()


def test_a_rule_refusing_a_real_date_marks_all_three_boxes():
    doc = page(FutureRuleForm(typed("1", "2", "2030")))
    assert _error_boxes(doc) == ["on_day", "on_month", "on_year"]
    assert _summary_link(doc) == "#id_on_day"


def test_after_an_error_the_boxes_keep_what_the_user_typed():
    doc = page(ReviewDateForm(typed(" 07", "Marchember", "27")))
    assert [box["value"] for box in doc.all("input")] == [" 07", "Marchember", "27"]


def test_a_prefixed_form_names_and_links_its_boxes_with_the_prefix():
    data = {"core-on_day": "1", "core-on_month": "", "core-on_year": "2027"}
    doc = page(ReviewDateForm(data, prefix="core"))
    names = [box["name"] for box in doc.all("input")]
    assert names == ["core-on_day", "core-on_month", "core-on_year"]
    assert _summary_link(doc) == "#id_core-on_month"
