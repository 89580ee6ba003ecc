from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


class StaffBackend(ModelBackend):
    """Email and password sign-in; demo accounts work only in demo mode.

    Django also asks this on every request (through get_user), so turning demo
    mode off, or disabling an account, ends that account's sessions at once.
    """

    def user_can_authenticate(self, user: AbstractBaseUser | AnonymousUser | None) -> bool:
        if user is None or not getattr(user, "is_active", False):
            return False
        return settings.DEMO_MODE or not getattr(user, "is_demo", False)
