"""Typed readers for settings that come from the environment.

Every reader fails loudly, naming the variable and what it expected, because a typo in a deployment
variable must stop start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        return self._environ.get(name)

    def string(self, name: str, default: str) -> str:
        value = self._environ.get(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off"
        )

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._environ.get(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}")
        return number

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._environ.get(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def path(self, name: str, default: Path) -> Path:
        value = self._environ.get(name)
        return default if value is None else Path(value).expanduser().resolve()

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self._environ.get(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}")
        return value
