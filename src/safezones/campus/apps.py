from django.apps import AppConfig


class CampusConfig(AppConfig):
    name = "safezones.campus"
    label = "campus"
