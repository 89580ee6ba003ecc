from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FamiliesConfig(AppConfig):
    name = "safezones.families"
    label = "families"

    def ready(self) -> None:
        post_migrate.connect(_forget_salt, sender=self)


def _forget_salt(**_kwargs: Any) -> None:
    # A flushed database holds no salt, or another one, from now on.
    from safezones.families.actions import forget_kept_salt

    forget_kept_salt()
