from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "vetta.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from vetta.assessments.signals import attempt_graded
        from vetta.integrations.receivers import on_attempt_graded

        attempt_graded.connect(on_attempt_graded, dispatch_uid="vetta.integrations.webhooks")
