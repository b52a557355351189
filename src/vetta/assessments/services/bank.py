"""The exercise bank on disk (`exercises/<slug>/`) mirrored into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import BankExercise
from vetta.grading.exercises.package import ExercisePackage, check_package, load_package


@dataclass
class BankSyncReport:
    loaded: list[str] = field(default_factory=list)  # "slug version"
    invalid: dict[str, list[str]] = field(default_factory=dict)  # directory -> errors
    retired: list[str] = field(default_factory=list)


def bank_dir() -> Path:
    return Path(settings.VETTA_EXERCISES_DIR)


def bank_sync(*, root: Path | None = None) -> BankSyncReport:
    """Loads every valid package of the bank; an invalid one is reported and left out, and a
    version no longer on disk stays for the plans that use it but is no longer offered."""
    root = root or bank_dir()
    report = BankSyncReport()
    seen: set[tuple[str, str]] = set()
    with transaction.atomic():
        for spec_file in sorted(root.glob("*/exercise.yaml")):
            package, errors = check_package(spec_file.parent)
            if package is None:
                report.invalid[spec_file.parent.name] = [str(e) for e in errors]
                continue
            spec = package.spec
            BankExercise.objects.update_or_create(
                slug=spec.slug,
                version=spec.version,
                defaults={
                    "title": spec.title,
                    "summary": spec.summary,
                    "method": spec.method,
                    "difficulty": spec.difficulty.value,
                    "time_limit_minutes": spec.time_limit_minutes,
                    "skill_areas": dict(spec.skill_areas),
                    "role_contexts": list(spec.role_contexts),
                    "grader_kind": spec.grader.kind,
                    "rubric_parts": list(spec.rubric_parts),
                    "package_digest": package.content_digest(),
                    "available": True,
                    "synced_at": timezone.now(),
                },
            )
            seen.add((spec.slug, spec.version))
            report.loaded.append(f"{spec.slug} {spec.version}")
        for exercise in BankExercise.objects.filter(available=True):
            if (exercise.slug, exercise.version) not in seen:
                exercise.available = False
                exercise.save(update_fields=["available"])
                report.retired.append(f"{exercise.slug} {exercise.version}")
    return report


def bank_package(exercise: BankExercise) -> ExercisePackage:
    """The package an exercise row stands for, as on disk now."""
    path = bank_dir() / exercise.slug
    package = load_package(path)
    if package.version != exercise.version:
        raise AssessmentError(
            f"{exercise.slug} {exercise.version} is no longer in the bank "
            f"(the bank holds {package.version})"
        )
    return package
