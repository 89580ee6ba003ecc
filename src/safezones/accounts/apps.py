from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "safezones.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_forget_offices, sender=self)


def _forget_offices(**_kwargs: Any) -> None:
    # A flushed or migrated database may no longer hold the offices a process kept.
    from safezones.accounts.offices import forget_kept_offices

    forget_kept_offices()
