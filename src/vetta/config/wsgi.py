"""WSGI entry point used by `vetta serve` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")
application = get_wsgi_application()
