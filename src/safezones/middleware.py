import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PrivacyHeadersMiddleware:
    """Headers Django does not set itself: no powerful browser features, and
    nothing from a signed-in page kept in a shared or back-button cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/") and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


def database_down_answer(request: HttpRequest) -> HttpResponse:
    """503 with a plain "not saved, try again": never a success for something
    the database did not keep. JSON for the API, a page for everything else."""
    message = _("Not saved: the service is briefly unavailable. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseDownMiddleware:
    """A view (or the API) that loses the database answers 503 instead of 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        logger.warning("database unavailable (%s); answered 503", type(exception).__name__)
        return database_down_answer(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same 503 when the database failed outside a view (in a
    middleware reading the session, say); Django's own 500 page otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_down_answer(request)
    return defaults.server_error(request)
