from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safezones.vendors.contracts import FIELDS
from safezones.vendors.models import Finding, StudentData, Vendor
from safezones.vendors.terms import TERMS

MAX_UPLOAD = 20 * 1024 * 1024


class ContractFileForm(forms.Form):
    file = forms.FileField(label=_("Contract export (CSV or XLSX)"), required=False)
    good_rows_only = forms.BooleanField(label=_("If some rows have errors, import only the good rows"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class AwardFileForm(forms.Form):
    file = forms.FileField(label=_("Award file from USAspending (CSV)"))


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("Curated evidence (CSV or YAML)"))


class MappingForm(forms.Form):
    """Which column of the district's file holds each field."""

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in this file)"))] + [(h, h) for h in header]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(label=label, choices=choices, required=False)

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"map_{name}", "") for name in FIELDS if self.cleaned_data.get(f"map_{name}")
        }


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Finding.Status.CONFIRMED, _("Confirm")), (Finding.Status.DISMISSED, _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class VendorForm(forms.Form):
    student_data = forms.ChoiceField(label=_("Student data it can reach"), choices=StudentData.choices)
    parent_name = forms.CharField(label=_("Parent company"), max_length=300, required=False)
    uei = forms.CharField(label="UEI", max_length=12, required=False)
    duns = forms.RegexField(label="DUNS", regex=r"^\d{9}$", required=False)
    cage = forms.CharField(label="CAGE", max_length=5, required=False)
    ein = forms.RegexField(label="EIN", regex=r"^\d{2}-?\d{7}$", required=False)
    subprocessors = forms.ModelMultipleChoiceField(
        label=_("Subprocessors (vendors that handle its data)"), queryset=Vendor.objects.all(), required=False
    )


class TermsForm(forms.Form):
    compliant = forms.BooleanField(label=_("The contract has every required term"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in TERMS.items():
            self.fields[f"term_{code}"] = forms.BooleanField(label=label, required=False)

    def present(self) -> set[str]:
        return {code for code in TERMS if self.cleaned_data.get(f"term_{code}")}
