"""Forms of the annual report pages: choose a year, enter a population, write commentary."""

from django import forms

from reporting.annual_services import FIRST_YEAR, LAST_YEAR


class YearField(forms.IntegerField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Reporting year")
        kwargs.setdefault(
            "help_text", "The year the reporting year starts: 2025 for April 2025 to March 2026."
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Enter the year the reporting year starts",
                "invalid": "Enter the year as 4 digits, like 2025",
                "min_value": f"Enter a year from {FIRST_YEAR}",
                "max_value": f"Enter a year up to {LAST_YEAR}",
            },
        )
        super().__init__(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


class YearForm(forms.Form):
    year = YearField()


class PopulationForm(forms.Form):
    year = YearField()
    population = forms.IntegerField(
        label="Population aged 0 to 17",
        min_value=1,
        help_text="The ONS mid-year estimate for the local authority, used in rates per 10,000.",
        error_messages={
            "required": "Enter the population aged 0 to 17",
            "invalid": "Enter the population as a whole number",
            "min_value": "Enter a population above 0",
        },
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="For example, ONS mid-2024 population estimates, published June 2025.",
        error_messages={"required": "Say where the figure comes from"},
    )


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text; leave blank to remove the section. Do not name children.",
    )
