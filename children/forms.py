from django import forms
from django.db.models import QuerySet

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
