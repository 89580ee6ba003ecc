"""Account management for the system administrator: people, roles, access.

Reached only with the manage-accounts capability; it shows accounts and roles,
never the content of any case.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.actions import AccountError, create_user, grant_role, revoke_role, set_active
from safezones.accounts.decorators import staff_required
from safezones.accounts.forms import NewUserForm, RoleForm
from safezones.accounts.models import User
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.models import Membership


def _admin_role(request: HttpRequest) -> str:
    access.require(request.user, Capability.MANAGE_ACCOUNTS)
    return access.granting_role(request.user, Capability.MANAGE_ACCOUNTS) or ""


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    _admin_role(request)
    roles = Prefetch("memberships", queryset=Membership.objects.select_related("school", "area"))
    users = User.objects.prefetch_related(roles).order_by("email")
    return render(request, "accounts/people.html", {"users": users})


@staff_required
def person_new(request: HttpRequest) -> HttpResponse:
    role_used = _admin_role(request)
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = create_user(request.user, role_used, **form.cleaned_data)  # type: ignore[arg-type]
        except AccountError:
            form.add_error("email", _("An account with this e-mail address already exists."))
        else:
            context = {"person": user, "password": password}
            return render(request, "accounts/person_created.html", context)
    return render(request, "accounts/person_new.html", {"form": form})


@staff_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    role_used = _admin_role(request)
    person = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant_role(request.user, role_used, person, data["role"], school=data["school"], area=data["area"])  # type: ignore[arg-type]
        except AccountError:
            form.add_error(None, _("Site roles need a school, the area office needs an area, other roles neither."))
        else:
            messages.success(request, _("The role was added."))
            return redirect("people:detail", pk=person.pk)
    memberships = person.memberships.select_related("school", "area")
    return render(request, "accounts/person_detail.html", {"person": person, "form": form, "memberships": memberships})


@require_POST
@staff_required
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    role_used = _admin_role(request)
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot disable your own account."))
    else:
        set_active(request.user, role_used, person, request.POST.get("active") == "1")  # type: ignore[arg-type]
        messages.success(request, _("The account was updated."))
    return redirect("people:detail", pk=person.pk)


@require_POST
@staff_required
def role_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    role_used = _admin_role(request)
    membership = get_object_or_404(Membership, pk=membership_pk, user_id=pk)
    revoke_role(request.user, role_used, membership)  # type: ignore[arg-type]
    messages.success(request, _("The role was removed."))
    return redirect("people:detail", pk=pk)
