"""Forms for the review pages. They parse input only; the rules are in the services."""

from typing import Any

from django import forms
from django.http import QueryDict

from iro_service.core.forms import GovukDateField
from people.models import User
from reviews.models import (
    PARTICIPATION_CODES,
    SCHEDULE_7,
    ChildContact,
    ConsultationDocument,
    Decision,
    FootprintNote,
    Invitation,
    Review,
)

YES_NO = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class BookingForm(forms.Form):
    scheduled_date = GovukDateField(label="Date of the review")
    scheduled_time = forms.TimeField(
        label="Time", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    online = forms.BooleanField(label="The review is online", required=False)
    late_reason = forms.ChoiceField(
        label="Reason the review will be late",
        required=False,
        choices=[("", "Not late"), *Review.LateReason.choices],
        help_text="Only needed when the date is after the review's due date.",
    )
    late_reason_text = forms.CharField(
        label="Details of the reason", required=False, max_length=300
    )
    confirm_clash = forms.BooleanField(
        label="Book it anyway: the IRO has another meeting that day", required=False
    )


class InvitationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    role = forms.CharField(label="Role or relationship to the child", max_length=120)
    how = forms.ChoiceField(label="How to invite them", choices=Invitation.How.choices)
    email = forms.EmailField(
        label="Email address", required=False, help_text="Needed to invite them by email."
    )


class RecordForm(forms.Form):
    """The review record. Schedule 7 matters are a checkbox and notes each."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_date = GovukDateField(label="Date the review was held")
    attendees = forms.CharField(
        label="Who attended", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    apologies = forms.CharField(
        label="Apologies", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participation_code = forms.ChoiceField(
        label="How the child took part",
        choices=[("", "Choose a code"), *PARTICIPATION_CODES],
        required=False,
        help_text="PN0 only when the child is under 4 on the day of the review.",
    )
    wishes_and_feelings = forms.CharField(
        label="The child's wishes and feelings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    permanence_plan_in_place = forms.ChoiceField(
        label="Is a plan for permanence in place?", choices=YES_NO, required=False
    )
    permanence_plan_endorsed = forms.ChoiceField(
        label="Did the review endorse the plan for permanence?",
        choices=YES_NO,
        required=False,
        help_text="At the second review.",
    )
    summary = forms.CharField(
        label="Summary of the discussion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, second_review: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not second_review:
            del self.fields["permanence_plan_endorsed"]
        for key, label in SCHEDULE_7:
            self.fields[f"s7_{key}"] = forms.BooleanField(
                label=f"{label}: considered", required=False
            )
            self.fields[f"s7_{key}_notes"] = forms.CharField(
                label=f"Notes on {label[0].lower()}{label[1:]}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def schedule7_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The checkbox and notes of each Schedule 7 matter, for the template."""
        return [(self[f"s7_{key}"], self[f"s7_{key}_notes"]) for key, _ in SCHEDULE_7]

    @staticmethod
    def initial_from(review: Review) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": review.version,
            "held_date": review.held_date or review.scheduled_date,
            "attendees": review.attendees,
            "apologies": review.apologies,
            "participation_code": review.participation_code,
            "wishes_and_feelings": review.wishes_and_feelings,
            "permanence_plan_in_place": yes_no_initial(review.permanence_plan_in_place),
            "permanence_plan_endorsed": yes_no_initial(review.permanence_plan_endorsed),
            "summary": review.summary,
        }
        for key, _ in SCHEDULE_7:
            item = review.schedule7.get(key, {})
            initial[f"s7_{key}"] = item.get("considered", False)
            initial[f"s7_{key}_notes"] = item.get("notes", "")
        return initial

    def initial_from_draft(self, data: dict[str, list[str]]) -> dict[str, Any]:
        """The values a saved draft holds, as initial values (a draft is never validated)."""
        query = QueryDict(mutable=True)
        for name, values in data.items():
            query.setlist(name, values)
        return {
            name: field.widget.value_from_datadict(query, {}, name)
            for name, field in self.fields.items()
            if not field.widget.value_omitted_from_data(query, {}, name)
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_date": data["held_date"],
            "attendees": data["attendees"],
            "apologies": data["apologies"],
            "participation_code": data["participation_code"],
            "wishes_and_feelings": data["wishes_and_feelings"],
            "permanence_plan_in_place": yes_no(data.get("permanence_plan_in_place")),
            "permanence_plan_endorsed": yes_no(data.get("permanence_plan_endorsed")),
            "summary": data["summary"],
            "schedule7": {
                key: {"considered": data[f"s7_{key}"], "notes": data[f"s7_{key}_notes"]}
                for key, _ in SCHEDULE_7
            },
        }


class AmendForm(RecordForm):
    reason = forms.CharField(
        label="Why are you amending the completed record?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label="Person responsible", queryset=User.objects.none(), required=False
    )
    owner_role = forms.CharField(
        label="Their role", required=False, max_length=120, help_text="For example, social worker."
    )
    due_date = GovukDateField(label="Date the decision is due")

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Decision.Status.choices)
    note = forms.CharField(label="Note", required=False, max_length=300)


class DateForm(forms.Form):
    on = GovukDateField(label="Date")

    def __init__(self, *args: Any, label: str = "Date", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class ExtraReviewForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is an early or extra review needed?",
        choices=Review.ExtraReason.choices,
        widget=forms.RadioSelect,
    )
    due_by = GovukDateField(label="Date the review is needed by")


class PreparationForm(forms.Form):
    sw_report_received_on = GovukDateField(
        label="Social worker's report received",
        subject="Date the social worker's report was received",
        required=False,
    )
    child_prepared = forms.ChoiceField(
        label="Was the child prepared for the review?", choices=YES_NO, required=False
    )


class ContactForm(forms.Form):
    on = GovukDateField(label="Date of the contact")
    how = forms.ChoiceField(label="How", choices=ChildContact.How.choices, widget=forms.RadioSelect)
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False)


class ConsultationForm(forms.Form):
    who = forms.ChoiceField(label="Who it is for", choices=ConsultationDocument.Who.choices)
    sent_on = GovukDateField(label="Date sent")
    returned_on = GovukDateField(label="Date returned", required=False)


class FootprintForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=FootprintNote.Kind.choices)
    on = GovukDateField(label="Date")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}))


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Review.Status.choices]
    )
    iro = forms.TypedChoiceField(label="IRO", required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, iros: list[tuple[int, str]], teams: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iro"].choices = [("", "Any IRO"), *iros]
        self.fields["team"].choices = [("", "Any team"), *teams]
