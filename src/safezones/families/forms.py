from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safezones.accounts.models import User
from safezones.families.models import ClosedReason, Resource, Status
from safezones.lib.languages import is_language_code
from safezones.schools.models import Area


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (the family never sees it)"), required=False, initial=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    closed_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "—"), *ClosedReason.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.CLOSED and not data.get("closed_reason"):
            self.add_error("closed_reason", _("Say why the case is closed."))
        if data.get("status") != Status.CLOSED:
            data["closed_reason"] = ""
        return data


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["assignee"]).queryset = people


class ResourceForm(forms.ModelForm[Resource]):
    """One entry of the directory, as the district office writes it."""

    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, for example: en, es, ko"),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none if it serves the whole district."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Workshops only: the day and time, in the district's time zone."),
    )

    class Meta:
        model = Resource
        fields = ["kind", "name", "description", "phone", "website", "address", "languages", "areas", "cost"]
        fields += ["hours", "starts_at", "last_verified"]
        labels = {
            "kind": _("Kind of help"),
            "name": _("Name"),
            "description": _("Description"),
            "phone": _("Phone"),
            "website": _("Website"),
            "address": _("Address"),
            "cost": _("Cost"),
            "hours": _("Hours"),
            "last_verified": _("Last verified"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "last_verified": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            initial["languages"] = ", ".join(instance.languages)
            if instance.starts_at is not None:
                initial["starts_at"] = instance.starts_at.astimezone(zone).replace(tzinfo=None)
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_languages(self) -> list[str]:
        text = str(self.cleaned_data.get("languages") or "")
        codes = [code.strip().lower() for code in text.replace(";", ",").split(",") if code.strip()]
        unknown = [code for code in codes if not is_language_code(code)]
        if unknown:
            raise forms.ValidationError(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
        return list(dict.fromkeys(codes))

    def clean_starts_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("starts_at")
        if value is None:
            return None
        # The wall-clock time typed, read in the district's zone (not the server's).
        wall = timezone.make_naive(value) if timezone.is_aware(value) else value
        return wall.replace(tzinfo=self.zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Resource.Kind.WORKSHOP and not data.get("starts_at"):
            self.add_error("starts_at", _("A workshop needs the day and time it starts."))
        return data

    def values(self) -> dict[str, Any]:
        """The fields for the action (the entry itself is saved there)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResourceImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("At most 2 MB, with a header row: kind, name, last_verified, and optionally the other columns."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return bytes(upload.read())
