import io

import pytest
from django.core.management import CommandError, call_command

from safezones.accounts.models import User


def test_it_creates_an_account_with_a_role_and_prints_a_first_password(cast, capsys):
    call_command("createuser", "--email", "Zoe@A.test", "--role", "site_admin", "--school", "SA")
    out = capsys.readouterr().out
    user = User.objects.get(email="zoe@a.test")
    password = out.strip().splitlines()[-1].split(": ")[-1]
    assert user.check_password(password)
    assert user.memberships.get().school == cast.school_a


def test_it_adds_a_role_to_an_existing_account(cast):
    call_command("createuser", "--email", "alice@a.test", "--role", "site_staff", "--school", "SA2")
    assert set(cast.staff_a.memberships.values_list("school__code", flat=True)) == {"SA", "SA2"}


def test_it_reads_the_password_from_stdin(cast, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a chosen long password\n"))
    call_command("createuser", "--email", "yan@a.test", "--role", "legal_office", "--password-stdin")
    assert User.objects.get(email="yan@a.test").check_password("a chosen long password")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "site_staff", "--school", "NOPE"], "No school with the code 'NOPE'"),
        (["--role", "area_office", "--area", "NOPE"], "No area with the code 'NOPE'"),
        (["--role", "site_staff"], "needs a school"),
        (["--role", "area_office", "--school", "SA"], "needs an area"),
        (["--role", "board_member", "--school", "SA"], "covers the whole district"),
    ],
)
def test_it_explains_what_is_wrong(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("createuser", "--email", "x@a.test", *args)
    assert not User.objects.filter(email="x@a.test").exists()


def test_an_unknown_role_is_refused(cast):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("createuser", "--email", "x@a.test", "--role", "janitor")
