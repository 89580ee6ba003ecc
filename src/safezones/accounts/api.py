from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from safezones.accounts.devices import is_verified
from safezones.csrf import csrf_refusal
from safezones.lib.api_errors import READ_ERRORS
from safezones.schools import access


class StaffSession(APIKeyCookie):
    """A signed-in staff session that passed the second factor. Unsafe methods
    also need the CSRF token, as forms do."""

    openapi_description = "The session cookie of a staff member signed in with password and second factor."

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)  # checked below, the same way as forms

    def _get_key(self, request: HttpRequest) -> str | None:
        if csrf_refusal(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        user = request.user
        if not key or not user.is_authenticated or not is_verified(user):
            return None
        return user


class MembershipOut(Schema):
    role: str
    school: str | None
    area: str | None


class MeOut(Schema):
    email: str
    name: str
    roles: list[MembershipOut]


router = Router()


@router.get("", response={200: MeOut, **READ_ERRORS}, summary="The signed-in staff member and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    roles = [
        MembershipOut(role=m.role, school=m.school.code if m.school else None, area=m.area.code if m.area else None)
        for m in access.memberships(user)
    ]
    return MeOut(email=user.email, name=user.name, roles=roles)  # type: ignore[union-attr]
