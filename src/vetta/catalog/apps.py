from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "vetta.catalog"
    label = "catalog"
