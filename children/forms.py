from django import forms


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
