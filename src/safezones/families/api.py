"""The public family API: file a request or a report, and follow it up with
the receipt. No account; no client address kept; receipts only in bodies."""

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field, StrictStr, StringConstraints, field_validator

from safezones.families.actions import Filed, Submission, family_view, file_case, submission_window
from safezones.families.models import Contact, FamilyCase, Need, ReportKind
from safezones.lib import ratelimit
from safezones.lib.api_errors import ErrorOut, ValidationErrorOut
from safezones.lib.languages import is_language_code
from safezones.schools.models import School

MAX_TEXT = 5000
IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,128}$")]
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
SUBMIT_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}


class FamilyBase(Schema):
    school: StrictStr = Field(max_length=32, description="The school's code.")
    language: StrictStr = Field(max_length=16, description="The language the family wants answers in, e.g. es.")
    idempotency_key: IdempotencyKey | None = Field(
        default=None,
        description="A random token (16-128 letters, digits, - or _); a retry with it returns the same receipt.",
    )

    @field_validator("language")
    @classmethod
    def known_language(cls, value: str) -> str:
        if not is_language_code(value):
            raise ValueError("unknown language code")
        return value.lower()


class RequestIn(FamilyBase):
    needs: list[Need] = Field(min_length=1, max_length=len(Need))
    message: Text = ""
    name: Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    contact: Contact = Contact.NONE
    phone: Annotated[StrictStr, StringConstraints(pattern=r"^[0-9+()\-. ]{7,30}$")] | None = None
    email: Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=254)] | None = None

    @field_validator("email")
    @classmethod
    def an_email_address(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("not an e-mail address") from None
        return value


class ReportIn(FamilyBase):
    kind: ReportKind
    description: Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
    date: datetime.date | None = None

    @field_validator("date")
    @classmethod
    def not_in_the_future(cls, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value > timezone.localdate():
            raise ValueError("the date is in the future")
        return value


class ReceiptOut(Schema):
    receipt: str
    status: str


class LookupIn(Schema):
    receipt: StrictStr = Field(max_length=64)


class MessageOut(Schema):
    author: str
    date: datetime.date
    text: str


class CaseOut(Schema):
    kind: str
    status: str
    received_on: datetime.date
    updated_on: datetime.date
    messages: list[MessageOut]


router = Router(auth=None)


@router.post("/requests", response={201: ReceiptOut, **SUBMIT_ERRORS}, summary="A family asks for services")
def file_request(request: HttpRequest, payload: RequestIn) -> Status[ReceiptOut]:
    counted = _submission_window(request)
    school = _school(payload.school)
    contact = {"name": payload.name, "phone": payload.phone, "email": payload.email}
    content = {"message": payload.message, **{key: value for key, value in contact.items() if value}}
    filed = file_case(
        Submission(
            kind=FamilyCase.Kind.REQUEST,
            school=school,
            language=payload.language,
            content=content,
            needs=[need.value for need in payload.needs],
            contact=payload.contact.value,
            idempotency_key=payload.idempotency_key,
            counted=counted,
        )
    )
    return Status(201, _receipt(filed))


@router.post("/reports", response={201: ReceiptOut, **SUBMIT_ERRORS}, summary="A family reports noncompliance")
def file_report(request: HttpRequest, payload: ReportIn) -> Status[ReceiptOut]:
    counted = _submission_window(request)
    school = _school(payload.school)
    content: dict[str, Any] = {"description": payload.description}
    if payload.date:
        content["date"] = payload.date.isoformat()
    filed = file_case(
        Submission(
            kind=FamilyCase.Kind.REPORT,
            school=school,
            language=payload.language,
            content=content,
            report_kind=payload.kind.value,
            idempotency_key=payload.idempotency_key,
            counted=counted,
        )
    )
    return Status(201, _receipt(filed))


@router.post(
    "/cases/lookup",
    response={200: CaseOut, 404: ErrorOut, **SUBMIT_ERRORS},
    summary="Follow up on a case with its receipt",
)
def lookup(request: HttpRequest, payload: LookupIn) -> Status[CaseOut | ErrorOut]:
    _limit(request, "family-lookup", limit=settings.RECEIPT_LOOKUPS_PER_MINUTE, window=60)
    view = family_view(payload.receipt)
    if view is None:
        return Status(404, ErrorOut(detail=_("No case matches this receipt. Check the numbers and try again.")))
    opening = view.content.get("message") or view.content.get("description") or ""
    messages = [MessageOut(author="family", date=view.received_on, text=opening)] if opening else []
    messages += [MessageOut(author=m.author, date=m.sent_on, text=m.text) for m in view.messages]
    case = CaseOut(
        kind=view.kind, status=view.status, received_on=view.received_on, updated_on=view.updated_on, messages=messages
    )
    return Status(200, case)


def _school(code: str) -> School:
    school = School.objects.filter(code__iexact=code.strip()).select_related("area__district").first()
    if school is None:
        raise ValidationError(
            [{"loc": ["body", "payload", "school"], "msg": _("No school has this code."), "type": "unknown_school"}]
        )
    return school


def _receipt(filed: Filed) -> ReceiptOut:
    return ReceiptOut(receipt=filed.receipt, status=filed.case.status)


def _submission_window(request: HttpRequest) -> ratelimit.Window:
    return submission_window(ratelimit.client_identity(request))  # file_case counts, and refuses a full one


def _limit(request: HttpRequest, bucket: str, limit: int, window: int) -> None:
    if not ratelimit.allow(bucket, ratelimit.client_identity(request), limit, window):
        raise ratelimit.TooManyAttemptsError
