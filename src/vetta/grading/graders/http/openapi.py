"""The exercise's OpenAPI document, as the grader uses it: its component schemas, compiled once,
validate response bodies.

Only OpenAPI 3.1 is accepted: its schemas are JSON Schema 2020-12, so `jsonschema` validates them
as written (3.0's `nullable` and friends would need a translation we would get subtly wrong).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match

_MAX_SPEC_BYTES = 1024 * 1024
_MAX_MESSAGE = 300  # jsonschema quotes the offending value, which may be a whole response


class OpenApiError(ValueError):
    """The OpenAPI document cannot be used (the package's fault, never the candidate's)."""


def parse_openapi(raw: bytes, *, source: str) -> dict[str, Any]:
    if len(raw) > _MAX_SPEC_BYTES:
        raise OpenApiError(f"{source}: larger than {_MAX_SPEC_BYTES} bytes")
    try:
        spec = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OpenApiError(f"{source}: not valid YAML/JSON: {exc}") from exc
    if not isinstance(spec, dict):
        raise OpenApiError(f"{source}: must be a mapping with `openapi`, `paths`, `components`")
    version = str(spec.get("openapi", ""))
    if not version.startswith("3.1"):
        raise OpenApiError(
            f"{source}: `openapi` is {version or 'missing'!r}; the grader needs 3.1.x, whose "
            "schemas are JSON Schema 2020-12"
        )
    schemas = spec.get("components", {}).get("schemas") if isinstance(spec, dict) else None
    if not isinstance(schemas, dict) or not schemas:
        raise OpenApiError(f"{source}: `components.schemas` is missing or empty")
    return spec


def json_path(parts: Iterable[str | int]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class SchemaSet:
    """Validators for the document's `components.schemas`, by name."""

    def __init__(self, spec: Mapping[str, Any], *, source: str = "openapi") -> None:
        components = spec["components"]
        self._validators: dict[str, Draft202012Validator] = {}
        for name in components["schemas"]:
            # The whole `components` travels with each root schema so that the document's
            # own `#/components/schemas/...` references resolve as written.
            root = {"$ref": f"#/components/schemas/{name}", "components": components}
            try:
                Draft202012Validator.check_schema(root)
            except SchemaError as exc:
                raise OpenApiError(
                    f"{source}: components.schemas.{name} is not a valid schema: {exc.message}"
                ) from exc
            self._validators[name] = Draft202012Validator(root)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._validators)

    def problem(self, name: str, instance: object) -> str | None:
        """Why `instance` does not match schema `name` (the most relevant error), or None."""
        error = best_match(self._validators[name].iter_errors(instance))
        if error is None:
            return None
        message = error.message
        if len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE] + "…"
        return f"at {json_path(error.absolute_path)}: {message}"
