from datetime import date
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from safezones.families.models import Resource
from safezones.readiness.models import ChecklistItem, Expiry, Source

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


class AttestForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"))
    on = forms.DateField(label=_("Date it was done or checked"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What shows it, in a few words. Name roles, not people."),
        max_length=500,
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Optional: a PDF or a photo, at most 5 MB."),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )

    def __init__(self, *args: Any, items: list[ChecklistItem], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(item.key, item.title) for item in items if item.is_attested]

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file is not None and file.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return file


class VerifyForm(forms.Form):
    item = forms.SlugField()


class PartnerForm(forms.Form):
    resource = forms.ModelChoiceField(label=_("Organization"), queryset=Resource.objects.none())
    remove = forms.BooleanField(label=_("Remove it from the school's list"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [Resource.Kind.LEGAL_AID, Resource.Kind.RAPID_RESPONSE, Resource.Kind.COMMUNITY]
        field = self.fields["resource"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Resource.objects.filter(kind__in=kinds).order_by("kind", "name")


class TrainingImportForm(forms.Form):
    file = forms.FileField(
        label=_("Training records (CSV)"),
        help_text=_("Columns: employee_id, school, course, completion_date (YYYY-MM-DD), and optionally role."),
        validators=[FileExtensionValidator(["csv", "txt"])],
    )


class ChecklistForm(forms.Form):
    """The district's checklist: its settings, the wording of each item in
    English and Spanish, the items kept, and one new item at a time."""

    threshold_percent = forms.IntegerField(label=_("Readiness threshold (%)"), min_value=0, max_value=100)
    all_staff_target_percent = forms.IntegerField(label=_("All-staff training target (%)"), min_value=0, max_value=100)
    protocol_course = forms.CharField(label=_("Protocol course name, as the learning system writes it"), max_length=200)
    school_year_starts_month = forms.IntegerField(
        label=_("Month the school year starts (1-12)"), min_value=1, max_value=12
    )
    new_title_en = forms.CharField(label=_("New item, in English"), max_length=300, required=False)
    new_title_es = forms.CharField(label=_("New item, in Spanish"), max_length=300, required=False)
    new_valid_days = forms.IntegerField(
        label=_("Days the new item's evidence counts (empty: until the end of the school year)"),
        min_value=1,
        max_value=3650,
        required=False,
    )

    def __init__(self, *args: Any, items: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"keep_{item.key}"] = forms.BooleanField(label=item.title, required=False, initial=True)
            self.fields[f"en_{item.key}"] = forms.CharField(
                label=_("Wording in English"), max_length=300, required=False, initial=item.titles.get("en", "")
            )
            self.fields[f"es_{item.key}"] = forms.CharField(
                label=_("Wording in Spanish"), max_length=300, required=False, initial=item.titles.get("es", "")
            )
            if item.expiry == Expiry.DAYS:
                self.fields[f"days_{item.key}"] = forms.IntegerField(
                    label=_("Days its evidence counts"), min_value=1, max_value=3650, initial=item.valid_days
                )

    def item_rows(self) -> list[tuple[forms.BoundField, ...]]:
        rows = []
        for item in self.items:
            names = ["keep", "en", "es"] + (["days"] if item.expiry == Expiry.DAYS else [])
            rows.append(tuple(self[f"{name}_{item.key}"] for name in names))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"keep_{item.key}") for item in self.items) and not data.get("new_title_en"):
            raise forms.ValidationError(_("Keep at least one item."))
        if data.get("new_title_es") and not data.get("new_title_en"):
            self.add_error("new_title_en", _("Give the new item in English too."))
        return data

    def chosen_items(self) -> list[ChecklistItem]:
        data = self.cleaned_data
        chosen = []
        for item in self.items:
            if not data.get(f"keep_{item.key}"):
                continue
            titles = {code: data[f"{code}_{item.key}"] for code in ("en", "es") if data.get(f"{code}_{item.key}")}
            days = data.get(f"days_{item.key}", item.valid_days)
            chosen.append(
                ChecklistItem(key=item.key, titles=titles, source=item.source, expiry=item.expiry, valid_days=days)
            )
        if data.get("new_title_en"):
            chosen.append(self._new_item(data, {item.key for item in chosen}))
        return chosen

    def _new_item(self, data: dict[str, Any], taken: set[str]) -> ChecklistItem:
        base = slugify(data["new_title_en"])[:56] or "item"
        key, suffix = base, 2
        while key in taken or key in {item.key for item in self.items}:
            key, suffix = f"{base}-{suffix}", suffix + 1
        titles = {code: data[f"new_title_{code}"] for code in ("en", "es") if data.get(f"new_title_{code}")}
        days = data.get("new_valid_days")
        expiry = Expiry.DAYS if days else Expiry.SCHOOL_YEAR
        return ChecklistItem(key=key, titles=titles, source=Source.ATTESTATION, expiry=expiry, valid_days=days)
