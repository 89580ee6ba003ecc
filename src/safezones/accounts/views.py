"""Signing in (password, then second factor), setting up the second factor,
changing the password and signing out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safezones.accounts import throttle
from safezones.accounts.actions import change_password
from safezones.accounts.decorators import staff_required
from safezones.accounts.devices import confirmed_device, current_code, pending_device, qr_svg, spaced_secret
from safezones.accounts.forms import CodeForm, ConfirmForm, PasswordChangeForm, SignInForm
from safezones.accounts.keys import forget, unlock_for_session, unlocked_private_key
from safezones.accounts.models import User
from safezones.accounts.offices import pass_on_office_keys
from safezones.accounts.reauth import mark_proved
from safezones.audit.actions import record


def _next_url(request: HttpRequest, default: str = "staff-home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse(default)


@never_cache
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if throttle.is_locked(email):
            minutes = max(1, settings.SIGN_IN_LOCKOUT_SECONDS // 60)
            message = ngettext(
                "Too many failed attempts for this account. Wait %(minutes)d minute and try again.",
                "Too many failed attempts for this account. Wait %(minutes)d minutes and try again.",
                minutes,
            )
            form.add_error(None, message % {"minutes": minutes})
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.note_failure(email)
                record(None, "auth.sign_in_failed", object_type="accounts.user", object_id="")
                form.add_error(None, _("The e-mail address or the password is not right."))
            else:
                throttle.clear(email)
                login(request, user)
                record(user, "auth.password_accepted", user)
                step = "accounts:verify" if confirmed_device(user) else "accounts:enroll"
                response = redirect(f"{reverse(step)}?next={_next_url(request)}")
                unlock_for_session(request, response, user, form.cleaned_data["password"])
                return response
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    device = confirmed_device(user)
    if device is None:
        return redirect("accounts:enroll")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            mark_proved(request)
            record(user, "auth.sign_in", user)
            _pass_on_keys(request, user)
            return HttpResponseRedirect(_next_url(request))
        if not allowed:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        else:
            form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
    context = {"form": form, "next": _next_url(request), "demo_code": _demo_code(user, device)}
    return render(request, "accounts/verify.html", context)


@never_cache
@login_required
def enroll(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if confirmed_device(user) is not None:
        return redirect("accounts:verify")
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            mark_proved(request)
            record(user, "auth.second_factor_enrolled", user)
            _pass_on_keys(request, user)
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr": qr_svg(device),
        "secret": spaced_secret(device),
        "demo_code": _demo_code(user, device),
    }
    return render(request, "accounts/enroll.html", context)


def _pass_on_keys(request: HttpRequest, user: User) -> None:
    private_key = unlocked_private_key(request)
    if private_key is not None:
        pass_on_office_keys(user, private_key)


def _demo_code(user: User, device: TOTPDevice) -> str:
    if settings.DEMO_MODE and user.is_demo:
        return current_code(device)
    return ""


@never_cache
@staff_required
@sensitive_post_parameters("current", "new", "repeat")
def password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(user, user, form.cleaned_data["current"], form.cleaned_data["new"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed. Other sessions were signed out."))
        return redirect("staff-home")
    return render(request, "accounts/password.html", {"form": form})


@never_cache
@sensitive_post_parameters("password")
@staff_required
def confirm(request: HttpRequest) -> HttpResponse:
    """The password again before an export (see accounts/reauth.py)."""
    user: User = request.user  # type: ignore[assignment]
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.is_locked(user.email):
            form.add_error(None, _("Too many failed attempts for this account. Wait a few minutes and try again."))
        elif authenticate(request, username=user.email, password=form.cleaned_data["password"]) is None:
            throttle.note_failure(user.email)
            record(user, "auth.confirm_failed", user)
            form.add_error("password", _("This is not your password."))
        else:
            throttle.clear(user.email)
            mark_proved(request)
            record(user, "auth.confirmed", user)
            return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/confirm.html", {"form": form, "next": _next_url(request)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request.user, "auth.sign_out", request.user)
    logout(request)
    response = redirect("accounts:sign-in")
    forget(response)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
