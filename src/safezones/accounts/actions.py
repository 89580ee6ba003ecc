"""Every change to staff accounts and their roles goes through these functions."""

import secrets

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from safezones.accounts.keys import create_staff_key, rewrap_staff_key
from safezones.accounts.models import User
from safezones.accounts.offices import drop_shares_no_longer_held
from safezones.audit.actions import record
from safezones.schools.models import AREA_ROLES, SCHOOL_ROLES, Area, Membership, Role, School


class AccountError(ValueError):
    """A request that cannot be carried out; the message is shown to the user."""


def create_user(
    actor: User | None,
    role_used: str,
    *,
    email: str,
    name: str = "",
    password: str | None = None,
    is_demo: bool = False,
) -> tuple[User, str]:
    """A new staff account; returns it with its first password (generated when
    none is given) to hand over once. The second factor is set up at first sign-in."""
    email = email.strip().lower()
    password = password or generate_password()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise AccountError(f"An account with the e-mail {email} already exists.")
        user = User(email=email, name=name.strip(), is_demo=is_demo)
        user.set_password(password)
        user.full_clean()
        user.save()
        create_staff_key(user, password)
        record(actor, "user.create", user, role=role_used)
    return user, password


def grant_role(
    actor: User | None, role_used: str, user: User, role: str, *, school: School | None = None, area: Area | None = None
) -> Membership:
    if role not in Role.values:
        raise AccountError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
    if role in SCHOOL_ROLES and (school is None or area is not None):
        raise AccountError(f"The role {role} needs a school (and no area).")
    if role in AREA_ROLES and (area is None or school is not None):
        raise AccountError(f"The role {role} needs an area (and no school).")
    if role not in (*SCHOOL_ROLES, *AREA_ROLES) and (school or area):
        raise AccountError(f"The role {role} covers the whole district; give no school or area.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, role=role, school=school, area=area)
        if created:
            record(actor, "membership.grant", membership, role=role_used, school_code=school.code if school else "")
    return membership


def revoke_role(actor: User, role_used: str, membership: Membership) -> None:
    with transaction.atomic():
        record(
            actor,
            "membership.revoke",
            membership,
            role=role_used,
            school_code=membership.school.code if membership.school else "",
        )
        membership.delete()
        drop_shares_no_longer_held(membership.user)


def set_active(actor: User | None, role_used: str, user: User, active: bool) -> User:
    """Disable or re-enable an account. Disabling ends every session at once."""
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            end_sessions(user)
        record(actor, "user.enable" if active else "user.disable", user, role=role_used)
    return user


def end_sessions(user: User) -> int:
    """Delete the user's sessions. Sessions are opaque in the database, so each
    live one is decoded to find its owner; this runs only on disable."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def change_password(actor: User, user: User, old_password: str, password: str) -> None:
    """The person's own change: their key pair is kept, now under the new password."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        rewrap_staff_key(user, old_password, password)
        record(actor, "user.password_change", user, role="self" if actor.pk == user.pk else "")


def generate_password() -> str:
    """A first password: 16 characters from a URL-safe alphabet (about 96 bits)."""
    return secrets.token_urlsafe(12)
