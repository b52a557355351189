"""The product's fixed vocabulary (PRODUCT.md), shared by the grading core and the web apps.

Plain constants, no Django: the grading core validates exercise packages against them, and the
catalog app checks that its versioned data uses exactly these names.
"""

from __future__ import annotations

ROLE_CONTEXTS: tuple[str, ...] = ("classical_ml", "llm_genai", "research")

SKILL_AREAS: tuple[str, ...] = (
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
)

ASSESSMENT_METHODS: tuple[str, ...] = (
    "coding_task",
    "system_design_interview",
    "evaluation_case_study",
    "security_scenario",
)

REQUIREMENT_LEVELS: tuple[str, ...] = ("required", "preferred", "not_needed")

SOLUTION_BANDS: tuple[str, ...] = ("strong", "partial", "wrong", "cheating")
