from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safezones.accounts.models import User
from safezones.families.models import ClosedReason, Status


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
