from django import forms
from django.utils.translation import gettext_lazy as _

from safezones.families.models import Status


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (the family never sees it)"), required=False, initial=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
