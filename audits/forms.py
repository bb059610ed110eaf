"""Forms for the audit pages. They parse input only; the rules are in the services."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms

from audits.models import (
    Answer,
    AuditAnswer,
    AuditQuestion,
    AuditRecommendation,
    AuditTemplate,
    Rag,
)
from audits.prefill import PREFILL_CHOICES
from audits.services import AnswerInput
from audits.themes import BY_CHOICES, EARLIEST, LATEST
from iro_service.core.forms import GovukDateField


class AuditForm(forms.Form):
    """One radio group (and a comment) per question, the overall comment, and the rating
    the IRO settles on. Field names ``q<question id>`` and ``c<question id>``."""

    summary = forms.CharField(
        label="Overall comment", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rating = forms.ChoiceField(
        label="Overall rating",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Use the suggested rating"), *Rag.choices],
        help_text="Choose another rating only if the suggested one is wrong, and say why.",
    )
    override_reason = forms.CharField(
        label="Why the rating differs from the suggested one",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, answers: Iterable[AuditAnswer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = list(answers)
        for row in self.answers:
            question = row.question
            choices = [
                (value, label)
                for value, label in Answer.choices
                if value != Answer.NA or question.allow_na
            ]
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=f"{question.text} (key question)" if question.is_key else question.text,
                required=False,
                choices=choices,
                widget=forms.RadioSelect,
                help_text=question.help,
                initial=row.answer,
            )
            self.fields[f"c{question.pk}"] = forms.CharField(
                label="Comment (optional)",
                required=False,
                initial=row.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[AuditAnswer, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"q{row.question_id}"], self[f"c{row.question_id}"]) for row in self.answers
        ]

    def answer_inputs(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {
            row.question_id: AnswerInput(
                answer=data.get(f"q{row.question_id}") or "",
                comment=data.get(f"c{row.question_id}") or "",
            )
            for row in self.answers
        }


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the recommendation"},
    )
    owner_role = forms.ChoiceField(
        label="Who is it for?",
        widget=forms.RadioSelect,
        choices=AuditRecommendation.OwnerRole.choices,
        help_text="The child's allocated social worker or their team manager.",
        error_messages={"required": "Choose who the recommendation is for"},
    )
    due_date = GovukDateField(label="Date it is due")
    question = forms.ModelChoiceField(
        label="The finding it answers (optional)",
        required=False,
        queryset=AuditQuestion.objects.none(),
        empty_label="Not about one question",
    )

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class DoneForm(forms.Form):
    note = forms.CharField(label="What was done (optional)", required=False, max_length=300)


def _choices(rows: Iterable[tuple[int, str]], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(pk), label) for pk, label in rows)]


class FilterForm(forms.Form):
    """The filters the findings list and the themes page share."""

    template = forms.ChoiceField(label="Audit", required=False)
    start = GovukDateField(label="From", subject="Start date", required=False)
    end = GovukDateField(label="To", subject="End date", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    service = forms.TypedChoiceField(
        label="Service area", required=False, coerce=int, empty_value=None
    )
    iro = forms.TypedChoiceField(label="IRO", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, templates: Any, teams: Any, services: Any, iros: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(str(t.pk), t.name) for t in templates]
        self.fields["team"].choices = _choices(teams, "All teams")
        self.fields["service"].choices = _choices(services, "All service areas")
        self.fields["iro"].choices = _choices(iros, "All IROs")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, date) and not EARLIEST <= value <= LATEST:
                self.add_error(name, "Enter a date between 1990 and 2100")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", "The end date must be on or after the start date")
        return data


class FindingsForm(FilterForm):
    rating = forms.ChoiceField(
        label="Rating", required=False, choices=[("", "Any rating"), *Rag.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "All audits"), *self.fields["template"].choices]


class ThemesForm(FilterForm):
    by = forms.ChoiceField(label="Break down by", required=False, choices=BY_CHOICES)


class TemplateSettingsForm(forms.ModelForm):
    class Meta:
        model = AuditTemplate
        fields = ["name", "expect", "sample_percent", "expect_rule", "active"]
        widgets = {"expect": forms.RadioSelect, "expect_rule": forms.RadioSelect}
        labels = {"expect": "Which meetings expect an audit?", "active": "In use"}


class QuestionForm(forms.ModelForm):
    prefill = forms.ChoiceField(
        label="Evidence from the record", required=False, choices=PREFILL_CHOICES
    )

    class Meta:
        model = AuditQuestion
        fields = [
            "code",
            "section",
            "text",
            "help",
            "is_key",
            "allow_na",
            "rag_yes",
            "rag_partly",
            "rag_no",
            "prefill",
            "basis",
            "ordering",
        ]
        labels = {
            "code": "Code (stays the same across versions)",
            "rag_yes": "Rating of yes",
            "rag_partly": "Rating of partly",
            "rag_no": "Rating of no",
        }
        widgets = {"help": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def _post_clean(self) -> None:
        """The service validates the model (uniqueness of the code within the version)."""


class PublishForm(forms.Form):
    notes = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what changed in this version"},
    )
