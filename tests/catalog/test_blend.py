"""Blend detection: a profile matching no single role context is named, explained and split."""

from __future__ import annotations

import itertools

import pytest

from vetta.catalog.blend import BlendReport, ContextLevels, blend_detect
from vetta.catalog.domain import Level, RoleContext
from vetta.catalog.schema import catalog_file_read

R, P, N = Level.REQUIRED, Level.PREFERRED, Level.NOT_NEEDED

CATALOG = catalog_file_read()
CONTEXTS = [
    ContextLevels(p.role_context.value, p.role_context.label, dict(p.requirements))
    for p in CATALOG.role_profiles
]
BASELINE = frozenset(a.key for a in CATALOG.skill_areas if a.baseline)
SKILLS = [a.key for a in CATALOG.skill_areas]


def levels_of(context: str, **changes: Level) -> dict[str, Level]:
    base = next(c for c in CONTEXTS if c.context == context)
    return {**base.levels, **changes}


def detect(levels: dict[str, Level], own: str | None = None) -> BlendReport:
    return blend_detect(levels=levels, contexts=CONTEXTS, baseline=BASELINE, own_context=own)


@pytest.mark.parametrize("context", [c.value for c in RoleContext])
def test_each_built_in_profile_matches_its_own_context_and_is_not_blended(context: str) -> None:
    report = detect(levels_of(context), own=context)
    assert not report.blended
    assert context in report.matches
    assert report.summary().startswith("Matches")


def test_requiring_rag_in_a_classical_ml_profile_is_a_blend_that_names_where_it_comes_from() -> (
    None
):
    report = detect(levels_of("classical_ml", rag_vector_databases=R), own="classical_ml")
    assert report.blended
    lines = [a.sentence() for a in report.conflicts]
    assert (
        "rag_vector_databases required — only llm_genai requires it; "
        "classical_ml: not_needed, research: not_needed"
    ) in lines
    assert (
        "statistical_modeling required — classical_ml and research require it; llm_genai: preferred"
    ) in lines
    # The most exclusive requirement comes first in the warning.
    assert lines[0].startswith("rag_vector_databases")


def test_the_blend_suggests_splitting_into_the_contexts_it_mixes() -> None:
    report = detect(levels_of("classical_ml", rag_vector_databases=R), own="classical_ml")
    assert [part.context for part in report.split] == ["classical_ml", "llm_genai"]
    sentence = report.split_sentence()
    assert sentence.startswith("Split into a Classical ML role and an LLM / Generative AI role:")
    assert "the Classical ML role keeps statistical_modeling" in sentence
    assert "the LLM / Generative AI role keeps rag_vector_databases" in sentence
    assert "both keep python_ml_frameworks" in sentence
    assert report.closest == "classical_ml"
    assert report.closest_sentence() == (
        "Or keep one Classical ML role: lower rag_vector_databases to not_needed."
    )


def test_blending_all_three_profiles_is_detected() -> None:
    union = dict.fromkeys(SKILLS, R)
    report = detect(union, own="llm_genai")
    assert report.blended
    assert report.split[0].context == "llm_genai"
    assert {p.context for p in report.split} == {"llm_genai", "classical_ml"}
    assert report.closest_sentence() == (
        "Or keep one LLM / Generative AI role: lower statistical_modeling to preferred."
    )


def test_the_element_wise_strongest_level_of_all_three_profiles_is_blended() -> None:
    order = [N, P, R]
    strongest = {
        skill: max((c.levels[skill] for c in CONTEXTS), key=order.index) for skill in SKILLS
    }
    assert detect(strongest).blended


@pytest.mark.parametrize(
    ("context", "skill"),
    [
        ("classical_ml", "finetuning_lora"),
        ("research", "mlops_deployment"),
        ("research", "prompt_engineering"),
        ("llm_genai", "statistical_modeling"),
    ],
)
def test_requiring_what_a_context_only_prefers_pulls_in_another_context(
    context: str, skill: str
) -> None:
    report = detect(levels_of(context, **{skill: R}), own=context)
    assert report.blended
    assert [a.skill_area for a in report.conflicts if context not in a.required_by] == [skill]
    assert report.closest == context


@pytest.mark.parametrize("context", [c.value for c in RoleContext])
@pytest.mark.parametrize("skill", sorted(BASELINE))
def test_requiring_a_baseline_skill_never_blends(context: str, skill: str) -> None:
    report = detect(levels_of(context, **{skill: R}), own=context)
    assert not report.blended
    (line,) = [a for a in report.attributions if a.skill_area == skill]
    assert line.sentence() == f"{skill} required — baseline for every role context"


@pytest.mark.parametrize("context", [c.value for c in RoleContext])
def test_lowering_any_set_of_levels_never_creates_a_blend(context: str) -> None:
    required = [s for s, level in levels_of(context).items() if level == R]
    for size in range(len(required) + 1):
        for lowered in itertools.combinations(required, size):
            changes = dict.fromkeys(lowered, P if size % 2 else N)
            assert not detect(levels_of(context, **changes)).blended, lowered


def test_a_profile_requiring_nothing_matches_every_context() -> None:
    report = detect(dict.fromkeys(SKILLS, N))
    assert report.matches == ("classical_ml", "llm_genai", "research")


def test_a_profile_can_match_another_context_than_the_one_it_was_derived_from() -> None:
    # A "classical ML" profile that drops statistics and adds RAG is an LLM role in disguise.
    levels = levels_of("classical_ml", rag_vector_databases=R, statistical_modeling=P)
    report = detect(levels, own="classical_ml")
    assert report.matches == ("llm_genai",)


def test_shared_requirements_are_attributed_to_every_context_and_not_warned_about() -> None:
    report = detect(levels_of("classical_ml", rag_vector_databases=R))
    evaluation = next(a for a in report.attributions if a.skill_area == "evaluation")
    assert evaluation.sentence() == "evaluation required — every role context requires it"
    assert evaluation not in report.conflicts


def test_a_requirement_no_context_has_is_reported_as_unplaced() -> None:
    contexts = [
        ContextLevels("a", "Alpha", {"x": R, "y": N, "z": N}),
        ContextLevels("b", "Beta", {"x": N, "y": R, "z": N}),
    ]
    report = blend_detect(levels={"x": R, "y": R, "z": R}, contexts=contexts)
    assert report.blended
    assert report.unplaced == ("z",)
    z = next(a for a in report.attributions if a.skill_area == "z")
    assert z.sentence() == "z required — no role context requires it; a: not_needed, b: not_needed"
    assert report.split_sentence() == (
        "Split into an Alpha role and a Beta role: the Alpha role keeps x; the Beta role keeps y."
    )


def test_a_three_way_blend_splits_into_three_roles() -> None:
    contexts = [
        ContextLevels("a", "Alpha", {"x": R, "y": N, "z": N, "s": R}),
        ContextLevels("b", "Beta", {"x": N, "y": R, "z": N, "s": R}),
        ContextLevels("c", "Gamma", {"x": N, "y": N, "z": R, "s": R}),
    ]
    report = blend_detect(levels={"x": R, "y": R, "z": R, "s": R}, contexts=contexts)
    assert [p.context for p in report.split] == ["a", "b", "c"]
    assert report.split_sentence().endswith("the Gamma role keeps z; all keep s.")


def test_ties_in_the_split_prefer_the_profile_s_own_context() -> None:
    contexts = [
        ContextLevels("a", "Alpha", {"x": R, "y": N}),
        ContextLevels("b", "Beta", {"x": N, "y": R}),
    ]
    report = blend_detect(levels={"x": R, "y": R}, contexts=contexts, own_context="b")
    assert [p.context for p in report.split] == ["b", "a"]
    assert report.closest == "b"


def test_the_summary_lists_the_warning_lines_and_both_suggestions() -> None:
    summary = detect(levels_of("classical_ml", rag_vector_databases=R)).summary()
    assert summary.splitlines()[0] == "Requirements match no single role context:"
    assert "- rag_vector_databases required — only llm_genai requires it;" in summary
    assert "Split into" in summary
    assert "Or keep one" in summary
