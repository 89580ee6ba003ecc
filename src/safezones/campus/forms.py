import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safezones.campus.doccheck.result import Kind
from safezones.campus.models import Agent, CallDownContact, Outcome, RecordsRequest


def _key() -> forms.UUIDField:
    # Chosen when the page is drawn: a form sent twice (a double tap, or again
    # after the phone was offline) is recorded once.
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class StartForm(forms.Form):
    school = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=[("on_campus", "on_campus"), ("nearby", "nearby")], widget=forms.HiddenInput)
    drill = forms.BooleanField(required=False, widget=forms.HiddenInput)
    client_key = _key()


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("checked", "checked"), ("note", "note"), ("follow_up", "follow_up"), ("legal_decision", "legal")],
        widget=forms.HiddenInput,
    )
    step = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    item = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    noted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    client_key = _key()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "checked" and not (data.get("step") and data.get("item")):
            raise forms.ValidationError(_("Choose the checklist item to tick."))
        if data.get("kind") in ("note", "follow_up", "legal_decision") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write what to record."))
        return data


class FollowUpForm(EntryForm):
    text = forms.CharField(
        label=_("Follow-up (families notified, students supported, parent notified)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(EntryForm):
    text = forms.CharField(
        label=_("Decision of the legal office"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgentForm(forms.ModelForm[Agent]):
    client_key = _key()

    class Meta:
        model = Agent
        fields = [
            "name",
            "badge",
            "agency",
            "supervisor_phone",
            "vehicle",
            "purpose",
            "places",
            "arrived_at",
            "departed_at",
        ]
        widgets = {
            "arrived_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "departed_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "supervisor_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("name", "badge", "agency", "purpose", "vehicle")):
            raise forms.ValidationError(_("Write at least a name, a badge number, an agency, a vehicle or a purpose."))
        return data


class DocumentForm(forms.Form):
    text = forms.CharField(
        label=_("Type the document's words"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(label=_("Or take a photo of it"), required=False)
    client_key = _key()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update(
            {"accept": "image/png,image/jpeg,application/pdf", "capture": "environment"}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("photo"):
            raise forms.ValidationError(_("Type the document's words or take a photo of it."))
        return data


class GuidedForm(forms.Form):
    """Questions to answer by looking at a document that cannot be read or typed."""

    title = forms.ChoiceField(
        label=_("What does the paper call itself?"),
        choices=[
            ("warrant", _("A warrant")),
            ("subpoena", _("A subpoena")),
            ("order", _("An order")),
            ("detainer", _("A detainer (Form I-247)")),
            ("notice_to_appear", _("A notice to appear (Form I-862)")),
            ("unknown", _("I cannot tell")),
        ],
        widget=forms.RadioSelect,
    )
    issuer = forms.ChoiceField(
        label=_("Who issued it?"),
        choices=[
            ("court", _("A court (for example “United States District Court” or “Superior Court”)")),
            ("immigration", _("Homeland Security, ICE or CBP")),
            ("unknown", _("I cannot tell")),
        ],
        widget=forms.RadioSelect,
    )
    judge_signed = forms.ChoiceField(label=_("Is it signed by a judge?"), choices=[], widget=forms.RadioSelect)
    names_court = forms.ChoiceField(label=_("Does it name a court?"), choices=[], widget=forms.RadioSelect)
    client_key = _key()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        yes_no = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I cannot tell"))]
        for name in ("judge_signed", "names_court"):
            self.fields[name].choices = yes_no  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("departed", "departed"), ("closed", "closed")], widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("How did it end?"), choices=[("", "—"), *Outcome.choices], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == "closed" and not data.get("outcome"):
            self.add_error("outcome", _("Choose how it ended before closing the incident."))
        return data


class ProtocolForm(forms.Form):
    source = forms.CharField(
        label=_("The protocol (YAML)"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}), required=False
    )
    upload = forms.FileField(label=_("Or import a YAML file"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 256 * 1024:
                raise forms.ValidationError(_("The file is larger than 256 KB; a protocol is much smaller."))
            try:
                data["source"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("source") or "").strip():
            raise forms.ValidationError(_("Paste the protocol or choose a file to import."))
        return data


class ContactForm(forms.ModelForm[CallDownContact]):
    class Meta:
        model = CallDownContact
        fields = ["level", "title", "name", "email", "phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone, or both."))
        return data


class RecordsRequestForm(forms.ModelForm[RecordsRequest]):
    document_kind = forms.ChoiceField(
        label=_("Document presented"),
        required=False,
        choices=[("", _("None")), *[(kind.value, kind.value.replace("_", " ")) for kind in Kind]],
    )

    class Meta:
        model = RecordsRequest
        fields = ["how", "requester", "sought", "document_kind"]


class ConditionForm(forms.Form):
    condition = forms.ChoiceField(
        choices=[
            ("consent", "consent"),
            ("compulsion", "compulsion"),
            ("notice", "notice"),
            ("order_forbids_notice", "order"),
        ]
    )


class DecisionChoiceForm(forms.Form):
    status = forms.ChoiceField(choices=[("released", "released"), ("refused", "refused"), ("withdrawn", "withdrawn")])


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data
