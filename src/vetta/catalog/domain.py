"""The catalog's fixed vocabulary (PRODUCT.md): requirement levels, role contexts, methods.

Pure Python: the blend detector, the job-description generator and the file schema use it without
Django.
"""

from __future__ import annotations

import enum


class Level(enum.StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"
    NOT_NEEDED = "not_needed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class RoleContext(enum.StrEnum):
    CLASSICAL_ML = "classical_ml"
    LLM_GENAI = "llm_genai"
    RESEARCH = "research"

    @property
    def label(self) -> str:
        return ROLE_CONTEXT_LABELS[self]


# The brief's column headings.
ROLE_CONTEXT_LABELS: dict[RoleContext, str] = {
    RoleContext.CLASSICAL_ML: "Classical ML",
    RoleContext.LLM_GENAI: "LLM / Generative AI",
    RoleContext.RESEARCH: "Research-heavy",
}


class AssessmentMethod(enum.StrEnum):
    CODING_TASK = "coding_task"
    SYSTEM_DESIGN_INTERVIEW = "system_design_interview"
    EVALUATION_CASE_STUDY = "evaluation_case_study"
    SECURITY_SCENARIO = "security_scenario"

    @property
    def label(self) -> str:
        return METHOD_TEXT[self][0]

    @property
    def description(self) -> str:
        return METHOD_TEXT[self][1]


# The brief's "How to assess candidates", word for word where it can be.
METHOD_TEXT: dict[AssessmentMethod, tuple[str, str]] = {
    AssessmentMethod.CODING_TASK: (
        "Coding task",
        "Data processing, model training, or API implementation against a real spec, "
        "auto-graded in a sandbox on hidden tests or hidden data.",
    ),
    AssessmentMethod.SYSTEM_DESIGN_INTERVIEW: (
        "System design interview",
        "Pipeline architecture, deployment, monitoring, and a rollback scenario, "
        "with a structured interview kit scored by two or more independent raters.",
    ),
    AssessmentMethod.EVALUATION_CASE_STUDY: (
        "Evaluation case study",
        "How you measure model quality and handle hallucinations: an evaluator scored on a "
        "hidden labelled set and a written analysis scored by rubric.",
    ),
    AssessmentMethod.SECURITY_SCENARIO: (
        "Security scenario",
        "Identifying and mitigating prompt injection or data leakage risks: a guardrail scored "
        "on a hidden attack and benign corpus and a walkthrough scored by rubric.",
    ),
}
