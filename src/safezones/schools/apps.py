from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "safezones.schools"
    label = "schools"
