from django import forms
from django.db.models import QuerySet

from iro_service.core.forms import GovukDateField
from people.models import User


class ChildSearchForm(forms.Form):
    """The children list's search and filters; every field optional."""

    q = forms.CharField(label="Name or local authority ID", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any"),
            ("in_care", "In care"),
            ("on_plan", "On a child protection plan"),
            ("both", "In care and on a plan"),
            ("neither", "Neither"),
        ],
    )
    iro = forms.TypedChoiceField(label="IRO", required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: object,
        iros: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["iro"].choices = [("", "Any IRO"), *iros]
        self.fields["team"].choices = [("", "Any team"), *teams]


class RestrictionForm(forms.Form):
    """Who may see a restricted child."""

    restricted = forms.BooleanField(
        label="Restrict this child's record",
        required=False,
        help_text="Only the people ticked below will be able to find or open it.",
    )
    allowed = forms.ModelMultipleChoiceField(
        label="People who can see the record",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, staff: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["allowed"].queryset = staff


class ConflictForm(forms.Form):
    """A member of staff declares a connection to a child or their family."""

    reason = forms.CharField(
        label="What is your connection to this child or their family?",
        help_text="For example: a relative, a neighbour, a friend of the family.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say what your connection is."},
    )
    include_siblings = forms.BooleanField(
        label="My connection is to the whole family: hide their brothers and sisters too",
        required=False,
    )


class OpenWithReasonForm(forms.Form):
    """A manager opens a child outside their teams: the child's ID and why."""

    la_child_id = forms.CharField(
        label="Local authority child ID",
        max_length=20,
        error_messages={"required": "Enter the child's local authority ID."},
    )
    reason = forms.CharField(
        label="Why do you need to open this child's record?",
        help_text="The information governance officer is told that you opened it, and why.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say why you need to open this child's record."},
    )


class BirthForm(forms.Form):
    """The day an unborn child was born."""

    date_of_birth = GovukDateField(label="Date of birth", subject="Date the child was born")


class ReportMonthForm(forms.Form):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        required=False,
        help_text="For example, 2026-11",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )


class CareCheckForm(forms.Form):
    """The date a health assessment or a personal education plan was completed."""

    completed_on = GovukDateField(
        help_text="For example, 27 3 2026. The next one falls due from this date."
    )

    def __init__(self, *args: object, label: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["completed_on"].label = label
