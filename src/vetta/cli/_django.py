"""Lazy Django start-up for the commands that need the database."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")
    import django
    from django.apps import apps

    # Once is enough: setting up again would re-run the logging configuration, pointing its
    # handlers at whatever sys.stderr is at that moment (a test runner's temporary stream).
    if not apps.ready:
        django.setup()
