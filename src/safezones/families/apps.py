from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "safezones.families"
    label = "families"
