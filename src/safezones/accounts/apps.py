from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safezones.accounts"
    label = "accounts"
