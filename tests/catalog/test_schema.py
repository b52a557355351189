"""Malformed catalog files are rejected with field-level messages."""

from __future__ import annotations

import pytest
import yaml

from vetta.catalog.schema import (
    CatalogFileError,
    catalog_file_parse,
    catalog_file_read,
    default_catalog_path,
)


def builtin_data() -> dict:
    return yaml.safe_load(default_catalog_path().read_text())


def errors_of(data: object) -> dict[str, str]:
    with pytest.raises(CatalogFileError) as caught:
        catalog_file_parse(yaml.safe_dump(data), source="test.yaml")
    return caught.value.errors


def test_the_built_in_catalog_has_the_ten_skill_areas_and_three_profiles_of_product_md() -> None:
    catalog = catalog_file_read()
    assert [a.key for a in catalog.skill_areas] == [
        "python_ml_frameworks",
        "mlops_deployment",
        "rag_vector_databases",
        "prompt_engineering",
        "statistical_modeling",
        "finetuning_lora",
        "data_sql_pipelines",
        "evaluation",
        "ai_security",
        "governance",
    ]
    assert [p.role_context.value for p in catalog.role_profiles] == [
        "classical_ml",
        "llm_genai",
        "research",
    ]


@pytest.mark.parametrize(
    ("skill", "classical", "llm", "research"),
    [
        ("python_ml_frameworks", "required", "required", "required"),
        ("mlops_deployment", "required", "required", "preferred"),
        ("rag_vector_databases", "not_needed", "required", "not_needed"),
        ("prompt_engineering", "not_needed", "required", "preferred"),
        ("statistical_modeling", "required", "preferred", "required"),
        ("finetuning_lora", "preferred", "required", "required"),
        ("data_sql_pipelines", "required", "required", "preferred"),
        ("evaluation", "required", "required", "required"),
        ("ai_security", "preferred", "required", "preferred"),
        ("governance", "required", "required", "preferred"),
    ],
)
def test_the_built_in_levels_are_product_md_s_skill_matrix(
    skill: str, classical: str, llm: str, research: str
) -> None:
    profiles = {p.role_context.value: p.requirements for p in catalog_file_read().role_profiles}
    assert profiles["classical_ml"][skill] == classical
    assert profiles["llm_genai"][skill] == llm
    assert profiles["research"][skill] == research


def test_an_unknown_skill_area_in_a_profile_is_named_with_its_field() -> None:
    data = builtin_data()
    data["role_profiles"][1]["requirements"]["quantum_ml"] = "required"
    errors = errors_of(data)
    assert "role_profiles[1].requirements.quantum_ml" in errors
    assert "unknown skill area 'quantum_ml'" in errors["role_profiles[1].requirements.quantum_ml"]


def test_a_bad_level_is_named_with_its_field_and_the_allowed_levels() -> None:
    data = builtin_data()
    data["role_profiles"][0]["requirements"]["evaluation"] = "nice_to_have"
    errors = errors_of(data)
    message = errors["role_profiles[0].requirements.evaluation"]
    assert "'required', 'preferred' or 'not_needed'" in message


def test_a_profile_missing_a_skill_area_is_rejected() -> None:
    data = builtin_data()
    del data["role_profiles"][2]["requirements"]["governance"]
    assert errors_of(data) == {"role_profiles[2].requirements": "no level given for governance"}


def test_an_unknown_assessment_method_is_rejected() -> None:
    data = builtin_data()
    data["skill_areas"][0]["assessed_by"] = ["coding_task", "vibes_check"]
    assert "skill_areas[0].assessed_by[1]" in errors_of(data)


def test_several_problems_are_all_reported_at_once() -> None:
    data = builtin_data()
    data["version"] = 0
    data["skill_areas"][3]["key"] = "Prompt Engineering"
    data["role_profiles"][0]["colour"] = "blue"
    errors = errors_of(data)
    assert {"version", "skill_areas[3].key", "role_profiles[0].colour"} <= set(errors)


def test_duplicate_skill_areas_and_missing_role_contexts_are_rejected() -> None:
    data = builtin_data()
    data["skill_areas"].append(dict(data["skill_areas"][0]))
    data["role_profiles"] = data["role_profiles"][:2]
    errors = errors_of(data)
    assert errors["skill_areas[10].key"] == "duplicate skill area 'python_ml_frameworks'"
    assert errors["role_profiles"] == "no built-in profile for role context research"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("version: 1\nskill_areas: [\n", "line 3, column 1"),
        ("- just\n- a list\n", "(file)"),
        ("", "(file)"),
    ],
)
def test_a_file_that_is_not_a_catalog_mapping_is_rejected_with_where(text: str, field: str) -> None:
    with pytest.raises(CatalogFileError) as caught:
        catalog_file_parse(text)
    assert field in caught.value.errors


def test_the_error_message_lists_every_field() -> None:
    data = builtin_data()
    data["version"] = "one"
    with pytest.raises(CatalogFileError, match=r"test.yaml is invalid:\n  version: "):
        catalog_file_parse(yaml.safe_dump(data), source="test.yaml")
