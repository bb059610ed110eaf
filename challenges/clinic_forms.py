"""Forms of the challenge clinic pages; each one feeds one service."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from challenges.clinic_models import ClinicInvitee, ClinicItem
from challenges.clinic_services import ClinicActionInput
from challenges.models import Challenge
from iro_service.core.forms import GovukDateField
from people.models import User

TIME = forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"})
TEXT = forms.Textarea(attrs={"rows": 4})
ACTIONS_PER_ITEM = 2


def challenge_label(challenge: Challenge) -> str:
    """ "CH-00001: Ann Smith (stage 1)": the children shown are those the user may see
    (prefetched by the selector)."""
    kids = list(challenge.children.all())
    if challenge.scope == Challenge.Scope.SERVICE:
        about = f"service-level, {len(kids)} child{'ren' if len(kids) != 1 else ''}"
    else:
        about = ", ".join(kid.full_name for kid in kids)
    return f"{challenge.reference}: {about} ({challenge.stage_label.lower()})"


def item_label(item: ClinicItem) -> str:
    """What an item is about: the challenge's reference, or the cohort child's name."""
    return item.challenge.reference if item.challenge_id else item.child.full_name


class ScheduleForm(forms.Form):
    day = GovukDateField(label="Date of the clinic")
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
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        help_text="Enter a venue, a link, or both.",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/x"},
    )
    panel = forms.TypedMultipleChoiceField(
        label="Panel: heads of service",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one head of service for the panel."},
    )
    challenges = forms.TypedMultipleChoiceField(
        label="Open challenges to consider",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cohort = forms.ChoiceField(
        label="A cohort of children to consider",
        required=False,
        widget=forms.RadioSelect,
        help_text="The children in the cohort when you schedule the clinic are added to it.",
    )

    def __init__(
        self,
        *args: Any,
        heads: list[User],
        challenges: list[Challenge],
        cohorts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.heads = {user.pk: user for user in heads}
        self.open_challenges = {challenge.pk: challenge for challenge in challenges}
        self.fields["panel"].choices = [(user.pk, str(user)) for user in heads]
        self.fields["challenges"].choices = [
            (challenge.pk, challenge_label(challenge)) for challenge in challenges
        ]
        self.fields["cohort"].choices = [("", "No cohort"), *cohorts]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("challenges") and not data.get("cohort") and not self.errors:
            self.add_error(
                "challenges", "Choose the challenges or a cohort for the clinic to consider."
            )
        return data

    def when(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), zone),
            timezone.make_aware(datetime.combine(day, self.cleaned_data["end"]), zone),
        )

    def chosen_panel(self) -> list[User]:
        return [self.heads[pk] for pk in self.cleaned_data["panel"]]

    def chosen_challenges(self) -> list[Challenge]:
        return [self.open_challenges[pk] for pk in self.cleaned_data["challenges"]]


class InviteeAddForm(forms.Form):
    user = forms.TypedChoiceField(
        label="Person to invite",
        coerce=int,
        error_messages={"required": "Choose the person to invite."},
    )
    role = forms.ChoiceField(
        label="Invited as",
        choices=ClinicInvitee.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why they are invited."},
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {user.pk: user for user in staff}
        self.fields["user"].choices = [("", "Choose a person"), *self.staff_choices(staff)]

    @staticmethod
    def staff_choices(staff: list[User]) -> list[tuple[int, str]]:
        return [(user.pk, f"{user} ({user.email})") for user in staff]

    def chosen_user(self) -> User:
        return self.staff[self.cleaned_data["user"]]


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is the clinic cancelled?",
        widget=TEXT,
        error_messages={"required": "Say why the clinic is cancelled."},
    )


class RecordForm(forms.Form):
    """The overall summary, then for each item the user may see: the finding and up to
    two actions, each with an owner and a due date."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label="Overall summary",
        widget=TEXT,
        error_messages={"required": "Enter the clinic's overall summary."},
    )

    def __init__(
        self, *args: Any, items: list[ClinicItem], owners: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.owners = {user.pk: user for user in owners}
        choices = [("", "Choose an owner"), *[(user.pk, str(user)) for user in owners]]
        for item in items:
            about = item_label(item)
            self.fields[f"finding_{item.pk}"] = forms.CharField(
                label=f"Finding on {about}", required=False, widget=TEXT
            )
            for n in range(1, ACTIONS_PER_ITEM + 1):
                prefix = f"action_{item.pk}_{n}"
                self.fields[f"{prefix}_text"] = forms.CharField(
                    label=f"Action {n} on {about}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                self.fields[f"{prefix}_owner"] = forms.TypedChoiceField(
                    label=f"Who owns action {n} on {about}?",
                    required=False,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                )
                self.fields[f"{prefix}_due"] = GovukDateField(
                    label=f"Action {n} on {about} due by",
                    subject=f"Due date of action {n}",
                    required=False,
                )

    def groups(self) -> list[tuple[ClinicItem, list[forms.BoundField]]]:
        """Each item with its fields, for the template."""
        rows = []
        for item in self.items:
            names = [f"finding_{item.pk}"] + [
                f"action_{item.pk}_{n}_{part}"
                for n in range(1, ACTIONS_PER_ITEM + 1)
                for part in ("text", "owner", "due")
            ]
            rows.append((item, [self[name] for name in names]))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for item in self.items:
            for n in range(1, ACTIONS_PER_ITEM + 1):
                prefix = f"action_{item.pk}_{n}"
                if not (data.get(f"{prefix}_text") or "").strip():
                    continue
                if not data.get(f"{prefix}_owner") and f"{prefix}_owner" not in self.errors:
                    self.add_error(f"{prefix}_owner", f"Choose who owns action {n}.")
                if not data.get(f"{prefix}_due") and f"{prefix}_due" not in self.errors:
                    self.add_error(f"{prefix}_due", f"Enter when action {n} is due.")
        return data

    def findings(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"finding_{item.pk}") or "" for item in self.items}

    def actions(self) -> list[ClinicActionInput]:
        rows = []
        for item in self.items:
            for n in range(1, ACTIONS_PER_ITEM + 1):
                prefix = f"action_{item.pk}_{n}"
                text = (self.cleaned_data.get(f"{prefix}_text") or "").strip()
                if text:
                    rows.append(
                        ClinicActionInput(
                            item_id=item.pk,
                            text=text,
                            owner=self.owners[self.cleaned_data[f"{prefix}_owner"]],
                            due_date=self.cleaned_data[f"{prefix}_due"],
                        )
                    )
        return rows
