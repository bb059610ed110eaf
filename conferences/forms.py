"""Forms of the conference pages: they parse input; the services decide."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from children import codes as child_codes
from children.models import Child
from conferences import codes
from conferences.models import ChairUnavailability, Conference, Room
from conferences.services import AMENDABLE_FIELDS
from iro_service.core.forms import GovukDateField
from people.models import User

TIME = forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"})


class RequestForm(forms.Form):
    """Request an initial (or pre-birth) conference from an s47 enquiry, or a transfer-in."""

    KINDS = [
        ("icpc", "Initial conference after a strategy discussion"),
        ("pre_birth", "Pre-birth initial conference"),
        ("transfer_in", "Transfer-in conference (moved here on another authority's plan)"),
    ]
    kind = forms.ChoiceField(
        label="Type of conference",
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of conference."},
    )
    enquiry = forms.TypedChoiceField(
        label="Section 47 enquiry",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="For an initial or pre-birth conference.",
    )
    notified_on = GovukDateField(
        label="Date we were told of the move",
        required=False,
        help_text="For a transfer-in conference.",
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enquiries = child.s47_enquiries.filter(icpc_date__isnull=True, icpc_not_required=False)
        self.fields["enquiry"].choices = [("", "Choose the enquiry")] + [
            (
                e.pk,
                f"Started {e.start_date:%d/%m/%Y}"
                + (
                    f", strategy discussion {e.strategy_discussion_date:%d/%m/%Y}"
                    if e.strategy_discussion_date
                    else ", no strategy discussion date"
                ),
            )
            for e in enquiries
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in ("icpc", "pre_birth") and not data.get("enquiry"):
            self.add_error("enquiry", "Choose the section 47 enquiry.")
        if kind == "transfer_in" and not data.get("notified_on"):
            self.add_error("notified_on", "Enter the date we were told of the move.")
        return data


class ScheduleForm(forms.Form):
    chair = forms.TypedChoiceField(
        label="Chair", coerce=int, error_messages={"required": "Choose a chair."}
    )
    day = GovukDateField(label="Date", error_messages={"required": "Enter the date."})
    start = forms.TimeField(
        label="Start time",
        widget=TIME,
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time."},
    )
    end = forms.TimeField(
        label="End time",
        widget=TIME,
        error_messages={"required": "Enter the end time.", "invalid": "Enter a time."},
    )
    room = forms.TypedChoiceField(label="Room", required=False, coerce=int, empty_value=None)
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        help_text="If the conference is online.",
    )
    late_reason = forms.ChoiceField(
        label="Reason for booking after the due date",
        required=False,
        choices=[("", "Not late"), *codes.choices(codes.LATE_REASON)],
    )

    def __init__(self, *args: Any, chairs: list[User], rooms: list[Room], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", "Choose a chair")] + [(u.pk, str(u)) for u in chairs]
        self.fields["room"].choices = [("", "No room (online)")] + [
            (r.pk, f"{r.name} (seats {r.capacity})") for r in rooms
        ]

    def times(self) -> tuple[datetime, datetime]:
        day: date = self.cleaned_data["day"]
        start: time = self.cleaned_data["start"]
        end: time = self.cleaned_data["end"]
        return (
            timezone.make_aware(datetime.combine(day, start)),
            timezone.make_aware(datetime.combine(day, end)),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the conference cancelled?",
        max_length=300,
        error_messages={"required": "Say why the conference is cancelled."},
    )


class InvitationForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the person's name."}
    )
    agency = forms.ChoiceField(label="Agency", choices=codes.choices(codes.AGENCY))
    email = forms.EmailField(label="Email address", required=False)
    contact = forms.CharField(label="Phone or address", required=False, max_length=200)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    interpreter_language = forms.CharField(label="Language", required=False, max_length=60)
    advocate_needed = forms.BooleanField(label="Needs an advocate", required=False)


class ReportForm(forms.Form):
    agency = forms.ChoiceField(
        label="Agency to ask for a report",
        choices=[(k, v) for k, v in codes.AGENCY.items() if k not in codes.NON_AGENCY],
    )


class ReportReceivedForm(forms.Form):
    received_on = GovukDateField(
        label="Date received", error_messages={"required": "Enter the date received."}
    )


class CirculateForm(forms.Form):
    outcome_sent_on = GovukDateField(
        label="Outcome sent to attendees on",
        subject="Date the outcome was sent",
        required=False,
    )
    minutes_completed_on = GovukDateField(
        label="Minutes completed on", subject="Date the minutes were completed", required=False
    )


class UnavailabilityForm(forms.Form):
    chair = forms.TypedChoiceField(label="Chair", coerce=int)
    day = GovukDateField(label="Date", error_messages={"required": "Enter the date."})
    reason = forms.ChoiceField(
        label="Reason",
        choices=ChairUnavailability.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose leave or non-working day."},
    )

    def __init__(self, *args: Any, chairs: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [(u.pk, str(u)) for u in chairs]


class CoreGroupForm(forms.Form):
    held_on = GovukDateField(
        label="Date of the core group",
        error_messages={"required": "Enter the date of the core group."},
    )
    attendance = forms.CharField(
        label="Who attended", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RecordForm(forms.Form):
    """The chair's record. Saved as a draft without checks; recorded with them (services)."""

    child_participation = forms.ChoiceField(
        label="How did the child take part?",
        required=False,
        choices=codes.choices(codes.CHILD_PARTICIPATION),
        widget=forms.RadioSelect,
    )
    child_views = forms.CharField(
        label="The child's views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parents_participation = forms.ChoiceField(
        label="How did the parents take part?",
        required=False,
        choices=codes.choices(codes.PARENT_PARTICIPATION),
        widget=forms.RadioSelect,
    )
    parents_views = forms.CharField(
        label="The parents' views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    not_quorate_reason = forms.CharField(
        label="If the conference was not quorate, why did it go ahead?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(label="Decision", required=False, widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        label="Categories of abuse",
        required=False,
        choices=list(child_codes.CP_CATEGORY.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every category that applies. With more than one, the national "
        "return records MUL (multiple), which is discouraged.",
    )
    end_reason = forms.ChoiceField(
        label="Why is the plan ending?",
        required=False,
        choices=[("", "Not ending"), *child_codes.CP_PLAN_END_REASON.items()],
    )
    outline_plan = forms.CharField(
        label="Outline plan", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    core_group_members = forms.CharField(
        label="Core group members", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    # The record's version when the form was opened: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.initial.setdefault("version", conference.version)
        decisions = (
            [Conference.Decision.PLAN, Conference.Decision.NO_PLAN]
            if conference.is_initial
            else [Conference.Decision.CONTINUE, Conference.Decision.END]
        )
        self.fields["decision"].choices = [(d.value, d.label) for d in decisions]
        self.attendance_fields = []
        for invitation in conference.invitations.all():
            name = f"attendance_{invitation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{invitation.name} ({invitation.get_agency_display()})",
                required=False,
                choices=[("", "Not recorded"), *codes.choices(codes.ATTENDANCE)],
            )
            self.initial.setdefault(name, invitation.attendance)
            self.attendance_fields.append(name)
        for name in RECORD_INITIAL:
            self.initial.setdefault(name, getattr(conference, name))

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("attendance_")): self.cleaned_data.get(name) or ""
            for name in self.attendance_fields
        }

    def record_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in RECORD_INITIAL}


RECORD_INITIAL = (
    "child_participation",
    "child_views",
    "parents_participation",
    "parents_views",
    "not_quorate_reason",
    "decision",
    "categories",
    "end_reason",
    "outline_plan",
    "core_group_members",
    "minutes",
)


class AmendForm(forms.Form):
    """Amend a held record: the narrative fields, with the reason (the original is kept)."""

    child_participation = forms.ChoiceField(
        label="How did the child take part?",
        choices=codes.choices(codes.CHILD_PARTICIPATION),
        widget=forms.RadioSelect,
    )
    child_views = forms.CharField(
        label="The child's views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parents_participation = forms.ChoiceField(
        label="How did the parents take part?",
        required=False,
        choices=[("", "Not recorded"), *codes.choices(codes.PARENT_PARTICIPATION)],
    )
    parents_views = forms.CharField(
        label="The parents' views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    not_quorate_reason = forms.CharField(
        label="If the conference was not quorate, why did it go ahead?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outline_plan = forms.CharField(
        label="Outline plan", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    core_group_members = forms.CharField(
        label="Core group members", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    reason = forms.CharField(
        label="Why are you amending the record?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the record is being amended."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in AMENDABLE_FIELDS:
            self.initial.setdefault(name, getattr(conference, name))
        self.initial.setdefault("version", conference.version)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in AMENDABLE_FIELDS}


class TimelinessFilterForm(forms.Form):
    conference_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Any"), *Conference.Type.choices],
    )
    date_from = GovukDateField(label="Held from", subject="Start date", required=False)
    date_to = GovukDateField(label="Held to", subject="End date", required=False)
    chair = forms.TypedChoiceField(label="Chair", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, chairs: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", "Any chair")] + [(u.pk, str(u)) for u in chairs]
