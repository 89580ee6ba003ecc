from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictStr, field_validator

from safezones.lib.api_errors import READ_ERRORS, WRITE_ERRORS
from safezones.lib.languages import is_language_code
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.actions import update_school
from safezones.schools.models import School


class SchoolOut(Schema):
    code: str
    name: str
    area: str
    address: str
    languages: list[str]

    @staticmethod
    def of(school: School) -> "SchoolOut":
        return SchoolOut(
            code=school.code,
            name=school.name,
            area=school.area.code,
            address=school.address,
            languages=list(school.languages),
        )


class SchoolPatch(Schema):
    name: StrictStr | None = Field(default=None, min_length=1, max_length=200)
    address: StrictStr | None = Field(default=None, max_length=300)
    languages: list[StrictStr] | None = Field(default=None, max_length=50)

    @field_validator("languages")
    @classmethod
    def known_languages(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = [code for code in value if not is_language_code(code)]
        if unknown:
            raise ValueError(f"unknown language code(s): {', '.join(unknown)}")
        return list(dict.fromkeys(code.lower() for code in value))


router = Router()


@router.get("", response={200: list[SchoolOut], **READ_ERRORS}, summary="Schools in the caller's scope")
def list_schools(request: HttpRequest) -> list[SchoolOut]:
    access.require(request.user, Capability.VIEW_SCHOOL)
    return [SchoolOut.of(school) for school in access.schools_with(request.user, Capability.VIEW_SCHOOL)]


@router.get("/{code}", response={200: SchoolOut, **READ_ERRORS}, summary="One school")
def get_school(request: HttpRequest, code: str) -> SchoolOut:
    return SchoolOut.of(access.get_school(request.user, code))


@router.patch("/{code}", response={200: SchoolOut, **WRITE_ERRORS}, summary="Change a school's details")
def patch_school(request: HttpRequest, code: str, payload: SchoolPatch) -> SchoolOut:
    school = access.get_school(request.user, code, Capability.MANAGE_SCHOOL)
    role = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) or ""
    changes = payload.model_dump(exclude_none=True)
    update_school(
        request.user,  # type: ignore[arg-type]
        role,
        school,
        name=changes.get("name", school.name),
        address=changes.get("address", school.address),
        languages=changes.get("languages", school.languages),
    )
    return SchoolOut.of(school)
