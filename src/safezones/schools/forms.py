import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safezones.lib.languages import is_language_code


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    languages = forms.CharField(
        label=_("Languages spoken by families"),
        help_text=_("Language codes separated by commas, for example: en, es, ko"),
        max_length=300,
        required=False,
    )

    def clean_languages(self) -> list[str]:
        codes = [code.strip().lower() for code in re.split(r"[;,\s]+", self.cleaned_data["languages"]) if code.strip()]
        unknown = [code for code in codes if not is_language_code(code)]
        if unknown:
            message = ngettext("Unknown language code: %(codes)s.", "Unknown language codes: %(codes)s.", len(unknown))
            raise forms.ValidationError(message, params={"codes": ", ".join(unknown)}, code="unknown")
        return list(dict.fromkeys(codes))
