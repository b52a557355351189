"""The job description lists required and preferred skills and how each will be assessed."""

from __future__ import annotations

from vetta.catalog.domain import AssessmentMethod, Level
from vetta.catalog.job_description import (
    JobDescription,
    SkillLine,
    job_description_html,
    job_description_markdown,
)

CODING = AssessmentMethod.CODING_TASK
EVAL = AssessmentMethod.EVALUATION_CASE_STUDY
SECURITY = AssessmentMethod.SECURITY_SCENARIO


def jd(*lines: SkillLine, title: str = "LLM engineer") -> JobDescription:
    return JobDescription(
        title=title, role_context_label="LLM / Generative AI", summary="Build it.", skills=lines
    )


RAG = SkillLine(
    "rag_vector_databases",
    "RAG and vector databases",
    "Designing RAG pipelines.",
    Level.REQUIRED,
    (CODING, EVAL),
)
SEC = SkillLine(
    "ai_security", "AI security", "Prompt injection risks.", Level.PREFERRED, (CODING, SECURITY)
)
PROMPT = SkillLine(
    "prompt_engineering", "Prompt engineering", "Prompts.", Level.NOT_NEEDED, (CODING,)
)


def test_required_and_preferred_skills_are_listed_under_their_headings() -> None:
    text = job_description_markdown(jd(RAG, SEC, PROMPT))
    required = text.index("## Required skills")
    preferred = text.index("## Preferred skills")
    assert required < text.index("RAG and vector databases") < preferred
    assert preferred < text.index("AI security")
    assert "Prompt engineering" not in text


def test_each_skill_says_which_assessment_methods_will_evidence_it() -> None:
    text = job_description_markdown(jd(RAG, SEC))
    assert "Assessed by: Coding task (`coding_task`), Evaluation case study " in text
    assert "(`evaluation_case_study`)." in text
    assert (
        "Assessed by: Coding task (`coding_task`), Security scenario (`security_scenario`)." in text
    )


def test_the_how_we_assess_section_describes_only_the_methods_used() -> None:
    text = job_description_markdown(jd(RAG))
    section = text[text.index("## How we assess") :]
    assert "**Coding task** (`coding_task`)" in section
    assert "**Evaluation case study** (`evaluation_case_study`)" in section
    assert "security_scenario" not in section
    assert "system_design_interview" not in section


def test_the_description_states_that_a_person_decides() -> None:
    assert "A named person makes every hiring decision" in job_description_markdown(jd(RAG))


def test_notes_are_shown_but_cannot_inject_markdown_or_html() -> None:
    noted = SkillLine(
        RAG.key,
        RAG.name,
        RAG.description,
        RAG.level,
        RAG.methods,
        notes="Must know pgvector <script>alert(1)</script> [click](javascript:alert(1))",
    )
    html = job_description_html(jd(noted, title="# <b>Title</b>"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<b>" not in html
    assert "pgvector" in html


def test_the_html_version_has_headings_and_lists() -> None:
    html = job_description_html(jd(RAG, SEC))
    assert html.startswith("<h1>LLM engineer</h1>")
    assert "<h2>Required skills</h2>" in html
    assert "<h2>Preferred skills</h2>" in html
    assert "<strong>RAG and vector databases</strong>" in html


def test_a_profile_with_nothing_required_says_so() -> None:
    assert "## Required skills\n\n- None." in job_description_markdown(jd(SEC))
