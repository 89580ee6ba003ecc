"""Forms families fill in, without an account and without JavaScript."""

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safezones.families.attachments import MAX_FILES, AttachmentError, CleanFile, clean_file
from safezones.families.models import Contact, Need, ReportKind, Resource
from safezones.lib.languages import language_name
from safezones.lib.widgets import QuickSelect
from safezones.pagecache import new_retry_token, per_visitor
from safezones.schools.models import Area, School

MAX_TEXT = 5000


def school_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = School.objects.order_by("area__name", "name").values_list("area__name", "code", "name")
    for area, code, name in rows:
        groups.setdefault(area, []).append((code, name))
    return [("", _("Choose your school")), *groups.items()]


class FamilyForm(forms.Form):
    school = forms.ChoiceField(label=_("School"), widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language for our answers"))
    # A random token in the form: sending the same page twice files one case.
    retry_token = forms.CharField(widget=forms.HiddenInput, max_length=128, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = cast(forms.ChoiceField, self.fields["school"])
        language = cast(forms.ChoiceField, self.fields["language"])
        school.choices = school_choices  # read when the list is drawn or a choice checked
        language.choices = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
        self.fields["retry_token"].initial = per_visitor(new_retry_token)

    def clean_retry_token(self) -> str | None:
        token = str(self.cleaned_data.get("retry_token") or "")
        return token if re.fullmatch(r"[A-Za-z0-9_-]{16,128}", token) else None


class RequestForm(FamilyForm):
    needs = forms.MultipleChoiceField(
        label=_("What do you need? Choose all that apply."), choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Tell us more"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.ChoiceField(
        label=_("Should we contact you?"), choices=Contact.choices, initial=Contact.NONE, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+()\-. ]{7,30}$",
        required=False,
        error_messages={"invalid": _("Write a phone number with digits, for example 213 555 0100.")},
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") == Contact.PHONE and not data.get("phone"):
            self.add_error("phone", _("Write the phone number where we may call you."))
        if data.get("contact") == Contact.EMAIL and not data.get("email"):
            self.add_error("email", _("Write the e-mail address where we may write to you."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field; each is checked by its content and cleaned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most 5 files."))
        cleaned = []
        for upload in files:
            try:
                cleaned.append(clean_file(upload.read()))
            except AttachmentError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


class ReportForm(FamilyForm):
    kind = forms.ChoiceField(label=_("What happened?"), choices=ReportKind.choices, widget=forms.RadioSelect)
    date = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only the day. Leave it empty if you are not sure."),
    )
    description = forms.CharField(
        label=_("Describe what happened"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = AttachmentsField(
        label=_("Photos or PDF files"),
        required=False,
        help_text=_("Up to 5 files of 10 MB each. We remove hidden details such as where a photo was taken."),
    )

    def clean_date(self) -> Any:
        value = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt number"),
        max_length=64,
        help_text=_("25 digits, for example 48213-90577-12034-66801-29345"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class FamilyMessageForm(forms.Form):
    receipt = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Add information or answer a question"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class ResourceFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        cast(forms.ChoiceField, self.fields["kind"]).choices = [everything, *Resource.Kind.choices]
        codes = {code for code, _name in settings.LANGUAGES}
        for spoken in Resource.objects.values_list("languages", flat=True):
            codes.update(spoken)
        languages = sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1].lower())
        cast(forms.ChoiceField, self.fields["language"]).choices = [everything, *languages]
        areas = list(Area.objects.order_by("name").values_list("code", "name"))
        cast(forms.ChoiceField, self.fields["area"]).choices = [everything, *areas]


class LetterForm(forms.Form):
    """The questions a family may ask its school about the Safe Zones policy."""

    QUESTIONS = (
        ("protocol", _("How does the school carry out the Safe Zones protocol?")),
        ("training", _("What are staff trained to do if immigration agents come, and how many are trained?")),
        ("resources", _("What resources are there for families facing immigration-related risks?")),
        ("partners", _("Which community organizations does the school work with?")),
        ("legal_aid", _("How are families connected to legal aid and rapid response networks?")),
        ("workshops", _("Does the school host or promote Know Your Rights workshops?")),
    )

    school = forms.ChoiceField(label=_("School"), widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language of the letter"))
    questions = forms.MultipleChoiceField(
        label=_("What do you want to ask? Choose all that apply."),
        choices=QUESTIONS,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["school"]).choices = school_choices
        languages = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
        cast(forms.ChoiceField, self.fields["language"]).choices = languages
