"""The IRO service manager's form for the local caseload target and complexity points."""

from django import forms

from reporting.models import CaseloadSettings

NUMBERS = ["local_target_per_fte", *CaseloadSettings.WEIGHT_FIELDS]


class CaseloadSettingsForm(forms.ModelForm):
    class Meta:
        model = CaseloadSettings
        fields = [*NUMBERS, "local_postcode_prefixes"]
        widgets = {
            name: forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})
            for name in NUMBERS
        }

    def clean_local_postcode_prefixes(self) -> str:
        text = self.cleaned_data["local_postcode_prefixes"]
        parts = [part.strip().upper() for part in text.split(",") if part.strip()]
        if any(not part.replace(" ", "").isalnum() for part in parts):
            raise forms.ValidationError(
                "Enter the starts of postcodes separated by commas, like DL1, DL2"
            )
        return ", ".join(parts)
