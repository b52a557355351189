from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "vetta.orgs"
    label = "orgs"
