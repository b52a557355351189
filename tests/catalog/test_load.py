"""The catalog loads idempotently and new versions update built-ins, never derived profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.orgs.factories import builtin, make_organisation, owner_of
from vetta.catalog.models import CatalogRelease, Requirement, RoleProfile, SkillArea
from vetta.catalog.schema import CatalogFileError, default_catalog_path
from vetta.catalog.selectors import role_profile_levels
from vetta.catalog.services import CatalogError, catalog_load, role_profile_derive
from vetta.governance.models import AuditEvent

pytestmark = pytest.mark.django_db


def write_catalog(tmp_path: Path, change: object = None, *, version: int = 2) -> Path:
    data = yaml.safe_load(default_catalog_path().read_text())
    data["version"] = version
    if callable(change):
        change(data)
    path = tmp_path / f"catalog-v{version}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def snapshot() -> list[tuple]:
    return sorted(
        Requirement.objects.values_list("profile__name", "skill_area__key", "level", "notes")
    )


def test_loading_creates_the_skill_areas_and_the_three_built_in_profiles() -> None:
    report = catalog_load()
    assert report.version == 1
    assert SkillArea.objects.count() == 10
    assert set(RoleProfile.objects.values_list("builtin_key", flat=True)) == {
        "classical_ml",
        "llm_genai",
        "research",
    }
    assert Requirement.objects.count() == 30
    assert AuditEvent.objects.filter(action="catalog.load").count() == 1


def test_a_second_load_changes_nothing() -> None:
    catalog_load()
    before = snapshot()
    events = AuditEvent.objects.count()
    report = catalog_load()
    assert not report.changed
    assert snapshot() == before
    assert AuditEvent.objects.count() == events
    assert CatalogRelease.objects.count() == 1


def test_a_new_version_updates_built_ins_but_not_profiles_organisations_derived(
    tmp_path: Path,
) -> None:
    catalog_load()
    organisation = make_organisation()
    derived = role_profile_derive(
        actor=owner_of(organisation), source=builtin("classical_ml"), name="Our ML role"
    )

    def promote_security(data: dict) -> None:
        data["role_profiles"][0]["requirements"]["ai_security"] = "required"
        data["role_profiles"][0]["name"] = "Classical ML engineer (2025)"

    report = catalog_load(path=write_catalog(tmp_path, promote_security))
    assert report.updated == 1
    classical = builtin("classical_ml")
    assert classical.name == "Classical ML engineer (2025)"
    assert classical.catalog_version == 2
    assert role_profile_levels(profile=classical)["ai_security"] == "required"
    assert role_profile_levels(profile=derived)["ai_security"] == "preferred"
    assert RoleProfile.objects.get(pk=derived.pk).name == "Our ML role"


def test_a_new_skill_area_reaches_built_ins_and_counts_as_not_needed_in_derived_profiles(
    tmp_path: Path,
) -> None:
    catalog_load()
    derived = role_profile_derive(
        actor=owner_of(make_organisation()), source=builtin("research"), name="R"
    )

    def add_area(data: dict) -> None:
        data["skill_areas"].append(
            {
                "key": "causal_inference",
                "name": "Causal inference",
                "description": "Effects, not correlations.",
                "assessed_by": ["evaluation_case_study"],
            }
        )
        for profile in data["role_profiles"]:
            profile["requirements"]["causal_inference"] = "preferred"

    catalog_load(path=write_catalog(tmp_path, add_area))
    assert role_profile_levels(profile=builtin("research"))["causal_inference"] == "preferred"
    assert role_profile_levels(profile=derived)["causal_inference"] == "not_needed"


def test_changed_content_without_a_new_version_is_refused(tmp_path: Path) -> None:
    catalog_load()

    def tweak(data: dict) -> None:
        data["skill_areas"][0]["name"] = "Python"

    with pytest.raises(CatalogError, match="bump `version`"):
        catalog_load(path=write_catalog(tmp_path, tweak, version=1))
    assert SkillArea.objects.get(key="python_ml_frameworks").name == "Python and ML frameworks"


def test_an_older_version_than_the_loaded_one_is_refused(tmp_path: Path) -> None:
    catalog_load(path=write_catalog(tmp_path, version=3))
    with pytest.raises(CatalogError, match="older than the loaded version 3"):
        catalog_load()


def test_removing_a_skill_area_is_refused(tmp_path: Path) -> None:
    catalog_load()

    def drop(data: dict) -> None:
        data["skill_areas"] = [a for a in data["skill_areas"] if a["key"] != "governance"]
        for profile in data["role_profiles"]:
            del profile["requirements"]["governance"]

    with pytest.raises(CatalogError, match="governance are missing"):
        catalog_load(path=write_catalog(tmp_path, drop))


def test_a_malformed_file_loads_nothing(tmp_path: Path) -> None:
    def break_level(data: dict) -> None:
        data["role_profiles"][0]["requirements"]["evaluation"] = "sometimes"

    with pytest.raises(CatalogFileError):
        catalog_load(path=write_catalog(tmp_path, break_level))
    assert SkillArea.objects.count() == 0
