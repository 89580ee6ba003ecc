from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safezones.audit"
    label = "audit"
