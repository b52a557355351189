from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "vetta.governance"
    label = "governance"
