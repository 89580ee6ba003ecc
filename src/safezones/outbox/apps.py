from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "safezones.outbox"
    label = "outbox"
