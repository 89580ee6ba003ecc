from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from safezones.schools.models import Area, Role, School


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, max_length=1024, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ConfirmForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, max_length=1024, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows, for example 123456.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 7}
        )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").strip()


class PasswordChangeForm(forms.Form):
    current = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    repeat = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["current"].widget.attrs["autocomplete"] = "current-password"
        self.fields["new"].widget.attrs["autocomplete"] = "new-password"
        self.fields["repeat"].widget.attrs["autocomplete"] = "new-password"

    def clean_current(self) -> str:
        value = str(self.cleaned_data["current"])
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is not right."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, repeat = data.get("new"), data.get("repeat")
        if new and repeat and new != repeat:
            self.add_error("repeat", _("The two new passwords differ."))
        elif new:
            try:
                password_validation.validate_password(new, self.user)
            except forms.ValidationError as error:
                self.add_error("new", error)
        return data


class NewUserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=_("School (for site roles)"), queryset=School.objects.all(), required=False, to_field_name="code"
    )
    area = forms.ModelChoiceField(
        label=_("Area (for the area office)"), queryset=Area.objects.all(), required=False, to_field_name="code"
    )
