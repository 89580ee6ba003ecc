"""The document check over HTTP: POST /api/v1/documents/check, with the
document's words as JSON or the file itself as multipart."""

from dataclasses import dataclass
from typing import Any, Literal

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field, StrictStr
from pydantic import ValidationError as PydanticError

from safezones.campus.doccheck import MAX_BYTES, DocumentError, check_text, read_document
from safezones.campus.doccheck.catalogue import LANGUAGES
from safezones.campus.doccheck.district import district_today
from safezones.campus.doccheck.errors import OCR_MISSING, TOO_LARGE
from safezones.campus.doccheck.intake import MAX_TEXT_CHARS, require_text
from safezones.campus.doccheck.result import Kind
from safezones.lib.api_errors import WRITE_ERRORS, ErrorOut, ValidationErrorOut
from safezones.schools import access
from safezones.schools.access import Capability

Language = Literal["en", "es"]


class CheckIn(Schema):
    text: StrictStr = Field(max_length=MAX_TEXT_CHARS)
    lang: Language = "en"
    school: StrictStr | None = Field(default=None, max_length=50, description="the code of a school in your scope")


class MarkerOut(Schema):
    marker: str
    text: str


class CheckOut(Schema):
    kind: Kind
    label: str
    explanation: str
    markers: list[MarkerOut]
    concerns: list[str]
    next_steps: list[str]
    route_to_legal: bool


@dataclass(frozen=True)
class Submission:
    lang: str
    school: str | None
    text: str = ""
    file: UploadedFile[bytes] | None = None


REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": CheckIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "text, PDF, PNG or JPEG; 10 MB"},
                    "lang": {"type": "string", "enum": list(LANGUAGES)},
                    "school": {"type": "string"},
                },
            }
        },
    },
}

router = Router()


@router.post(
    "/check",
    response={200: CheckOut, **WRITE_ERRORS, 413: ErrorOut, 503: ErrorOut},
    summary="Say what kind of document agents show, why, and what to do next",
    description="Advice only: it never declares a document valid, and every answer sends it to the legal office.",
    openapi_extra={"requestBody": REQUEST_BODY},
)
def check_document(request: HttpRequest) -> Any:
    access.require(request.user, Capability.VIEW_SCHOOL)
    submission = _submission(request)
    school = access.get_school(request.user, submission.school) if submission.school else None
    try:
        text = _text(submission)
    except DocumentError as refusal:
        status = 503 if refusal.message == OCR_MISSING else 422
        detail = refusal.in_language(submission.lang)
        body = ErrorOut(detail=detail) if status == 503 else ValidationErrorOut(detail=detail, errors=[])
        return Status(status, body)
    result = check_text(text, submission.lang, school.name if school else None, district_today())
    return result.to_json()


def _submission(request: HttpRequest) -> Submission:
    if request.content_type == "multipart/form-data":
        return _form(request)
    try:
        payload = CheckIn.model_validate_json(request.body)
    except PydanticError as error:
        raise ValidationError([dict(item) for item in error.errors(include_url=False, include_input=False)]) from error
    return Submission(payload.lang, payload.school, text=payload.text)


def _form(request: HttpRequest) -> Submission:
    lang = request.POST.get("lang", "en")
    upload = request.FILES.get("file")
    if lang not in LANGUAGES:
        raise ValidationError([{"loc": ["form", "lang"], "msg": "must be en or es", "type": "literal_error"}])
    if upload is None:
        raise ValidationError([{"loc": ["form", "file"], "msg": "Field required", "type": "missing"}])
    return Submission(lang, request.POST.get("school") or None, file=upload)


def _text(submission: Submission) -> str:
    if submission.file is None:
        return require_text(submission.text)
    if (submission.file.size or 0) > MAX_BYTES:  # refused before it is read into memory
        raise DocumentError(TOO_LARGE)
    return read_document(submission.file.read())
