"""Forms of the national returns pages: choose an export and a year; upload files to import."""

from django import forms
from django.utils import timezone

from children.rules import collection_year
from reporting import ssda903
from reporting.exports import EXPORTS
from reporting.exports.base import FORMAT_LABELS
from reporting.imports import IMPORTERS
from reporting.imports.ssda903 import FIRST_YEAR
from reporting.models import ImportRun

MAX_FILE_BYTES = 50 * 1024 * 1024  # a 903 of a large authority is a few megabytes


def year_choices() -> list[tuple[int, str]]:
    """Collection years from the current one back to the first the code lists cover."""
    latest = collection_year(timezone.localdate())
    return [(year, ssda903.year_label(year)) for year in range(latest, FIRST_YEAR - 1, -1)]


def export_choices() -> list[tuple[str, str]]:
    return [
        (f"{export.name}.{fmt}", f"{export.label} ({FORMAT_LABELS.get(fmt, fmt)})")
        for export in EXPORTS.values()
        for fmt in export.formats
    ]


class ExportForm(forms.Form):
    export = forms.ChoiceField(
        label="What do you want to export?",
        widget=forms.RadioSelect,
        choices=export_choices,
        error_messages={"required": "Choose what to export"},
    )
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        choices=year_choices,
        help_text="April to March: 2024-25 runs from 1 April 2024 to 31 March 2025.",
        error_messages={"required": "Choose the year"},
    )

    def chosen(self) -> tuple[str, str]:
        """(export name, file format) of a valid form."""
        name, fmt = self.cleaned_data["export"].rsplit(".", 1)
        return name, fmt


class FileInput(forms.FileInput):
    """A file input that takes several files (named so that it renders as a GOV.UK file
    upload)."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(widget=FileInput(attrs={"multiple": True}), **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(FilesField, self).clean(item, initial) for item in files if item]
        if not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        widget=forms.RadioSelect,
        choices=lambda: [(k.value, k.label) for k in ImportRun.Kind if k.value in IMPORTERS],
        error_messages={"required": "Choose what you are importing"},
    )
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        empty_value=None,
        required=False,
        choices=lambda: [("", "Read it from the file (CIN census)"), *year_choices()],
        help_text="Needed for the SSDA903: the year the return covers, April to March.",
    )
    files = FilesField(
        label="Files",
        help_text="For the SSDA903, the Header, Episodes and Reviews CSV files of one year "
        "(any names: each file is recognised by its column headings).",
        error_messages={"required": "Choose the files to import"},
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if any(upload.size > MAX_FILE_BYTES for upload in files):
            raise forms.ValidationError("Each file must be smaller than 50 MB")
        return files

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == ImportRun.Kind.SSDA903 and not cleaned.get("year"):
            self.add_error("year", "Choose the collection year of the SSDA903 return")
        return cleaned

    def file_contents(self) -> dict[str, bytes]:
        return {upload.name: upload.read() for upload in self.cleaned_data["files"]}
