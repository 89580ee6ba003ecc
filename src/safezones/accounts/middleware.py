import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

# Refreshing the session at most once a minute keeps writes low; the idle
# limit is therefore exact to within a minute.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign a staff member out after 30 minutes without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                minutes = settings.IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity.",
                        "You were signed out after %(minutes)d minutes without activity.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
            elif now - last_seen >= REFRESH_SECONDS or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)
