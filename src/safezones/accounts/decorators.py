from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from safezones.accounts.devices import confirmed_device, is_verified


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in with password and second factor; otherwise send to the step missing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:sign-in"))
        if not is_verified(user):
            step = "accounts:verify" if confirmed_device(user) else "accounts:enroll"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper
