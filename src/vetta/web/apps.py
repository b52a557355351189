from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vetta.web"
    label = "web"
