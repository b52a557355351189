"""Lazy Django start-up for the commands that need the database."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")
    import django

    django.setup()
