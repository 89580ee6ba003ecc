"""Re-authentication before exports: a download of reports or records leaves
the system, so it asks for the password again when the person last proved
who they are more than a few minutes ago (REAUTH_SECONDS, 15 minutes unless
set), even though the session itself is still open."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "safezones_proved_at"


def mark_proved(request: HttpRequest) -> None:
    """The person just gave their password (and second factor at sign-in)."""
    request.session[SESSION_KEY] = int(time.time())


def recently_proved(request: HttpRequest) -> bool:
    proved_at = request.session.get(SESSION_KEY)
    return isinstance(proved_at, int) and time.time() - proved_at <= settings.REAUTH_SECONDS


def confirm_first(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the password page when the person has not proved who they
    are recently; None when the export may go ahead."""
    if recently_proved(request):
        return None
    return redirect(f"{reverse('accounts:confirm')}?{urlencode({'next': request.get_full_path()})}")


def fresh_sign_in_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For export views; put it under @staff_required."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return confirm_first(request) or view(request, *args, **kwargs)

    return wrapper
