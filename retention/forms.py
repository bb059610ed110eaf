from django import forms

from retention.models import RetentionRule

NO_CASE_DETAILS = (
    "Do not write the child's name or details of the case: the reason is seen by other "
    "information governance officers, who have no access to case records."
)


class RuleForm(forms.ModelForm):
    """One rule of the schedule; a blank box means the rule has no such term."""

    class Meta:
        model = RetentionRule
        fields = ["until_birthday", "years_after_closing", "years_after_death"]
        widgets = {
            name: forms.NumberInput(attrs={"class": "govuk-input--width-3"}) for name in fields
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text=NO_CASE_DETAILS,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter the reason."},
    )

    def __init__(self, *args: object, label: str, required: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required


class DecisionForm(forms.Form):
    """Approve (the button) or reject (the button, with a comment)."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose whether to approve or reject the request."},
    )
    comment = forms.CharField(
        label="If you reject the request, say why the record should be kept",
        help_text=NO_CASE_DETAILS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why the record should be kept.")
        return data


class FindChildForm(forms.Form):
    la_child_id = forms.CharField(
        label="Local authority child ID",
        max_length=20,
        error_messages={"required": "Enter the child's local authority ID."},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
