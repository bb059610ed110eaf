from django import forms

from reminders.models import Group, Preference


class PreferenceForm(forms.Form):
    """Immediate email or the daily digest, per group of reminders."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for value, label in Group.choices:
            self.fields[value] = forms.ChoiceField(
                label=label,
                choices=Preference.Mode.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how to get “{label.lower()}”"},
            )
