from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "vetta.assessments"
    label = "assessments"
