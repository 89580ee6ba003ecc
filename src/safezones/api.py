"""The one JSON API, at /api/v1 (OpenAPI schema at /api/v1/openapi.json)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from safezones.accounts.api import StaffSession
from safezones.accounts.api import router as me_router
from safezones.campus.api import router as documents_router
from safezones.families.actions import RetryExpiredError
from safezones.families.api import router as family_router
from safezones.lib.api_errors import ErrorOut
from safezones.lib.ratelimit import TooManyAttemptsError
from safezones.schools.api import router as schools_router
from safezones.vendors.api import router as vendors_router

api = NinjaAPI(
    title="Safe Zones API",
    version="1",
    urls_namespace="api",
    auth=StaffSession(),
    docs_url="/docs",
)
api.add_router("/me", me_router, tags=["accounts"])
api.add_router("/schools", schools_router, tags=["schools"])
api.add_router("/family", family_router, tags=["families"])
api.add_router("/documents", documents_router, tags=["campus"])
api.add_router("/vendors", vendors_router, tags=["vendors"])


def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return api.create_response(request, ErrorOut(detail=detail).model_dump(), status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, _("Your role may not do this."))


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, _("Sign in with your password and second factor first."))


@api.exception_handler(RetryExpiredError)
def retry_expired(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 409, _("This was already received; its receipt was shown then and cannot be shown again."))


@api.exception_handler(TooManyAttemptsError)
def too_many(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 429, _("Too many attempts. Wait a few minutes and try again."))


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 413, _("The request is larger than this server accepts."))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("The request is not valid."), "errors": exc.errors}, status=422)
