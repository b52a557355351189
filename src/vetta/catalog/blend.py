"""Blend detection: does a role profile ask for what no single role context asks for?

The brief warns that "blending all three profiles into one job description creates costly,
misaligned expectations". This module decides, for a profile's levels, which role contexts it
matches and, when it matches none, explains where each requirement comes from and how to split
the role. Pure Python, no Django.

The rule
--------
A skill area a profile marks ``required`` *comes from* the role contexts whose built-in profile
also marks it ``required``. Baseline skill areas (``ai_security`` and ``governance``: the brief
makes security and governance baseline for every role) come from every context.

A profile **matches** a role context C when every skill area it requires comes from C, that is
when C's built-in profile also requires it. Lowering a level (required to preferred or
not_needed) never breaks a match: asking for less than a context is a narrower role, not a blend.

A profile is **blended** when it matches no role context: whatever context you read it as, it
requires something that context does not. Each such requirement is named with the contexts that
require it and the level the others give it, e.g. ``rag_vector_databases required — only
llm_genai requires it; classical_ml: not_needed, research: not_needed``.

Why not "every required skill is at least preferred in C"? The LLM / Generative AI profile marks
no skill area ``not_needed``, so under that rule every profile, even all three blended together,
would match ``llm_genai`` and nothing would ever be flagged.

Suggestions: the split covers the profile's non-baseline requirements with as few contexts as
possible (greedy, ties broken by the profile's own context, then catalog order), and each part
keeps the requirements its context shares. The closest single context is the one that needs the
fewest levels lowered to match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vetta.catalog.domain import Level


@dataclass(frozen=True)
class ContextLevels:
    """One role context as its built-in profile defines it."""

    context: str
    label: str
    levels: Mapping[str, Level]

    def requires(self, skill: str) -> bool:
        return self.levels.get(skill, Level.NOT_NEEDED) == Level.REQUIRED

    def level(self, skill: str) -> Level:
        return self.levels.get(skill, Level.NOT_NEEDED)


@dataclass(frozen=True)
class Attribution:
    """Where one required skill area comes from."""

    skill_area: str
    required_by: tuple[str, ...]
    others: tuple[tuple[str, Level], ...]
    baseline: bool = False

    @property
    def distinguishes(self) -> bool:
        """True when contexts disagree about it, so it says which context the role belongs to."""
        return not self.baseline and bool(self.others)

    def sentence(self) -> str:
        head = f"{self.skill_area} required — "
        if self.baseline:
            return head + "baseline for every role context"
        if not self.others:
            return head + "every role context requires it"
        if not self.required_by:
            source = "no role context requires it"
        elif len(self.required_by) == 1:
            source = f"only {self.required_by[0]} requires it"
        else:
            source = f"{' and '.join(self.required_by)} require it"
        rest = ", ".join(f"{context}: {level.value}" for context, level in self.others)
        return f"{head}{source}; {rest}"


@dataclass(frozen=True)
class SplitPart:
    context: str
    label: str
    takes: tuple[str, ...]  # requirements only this part keeps


@dataclass(frozen=True)
class BlendReport:
    matches: tuple[str, ...]
    attributions: tuple[Attribution, ...]
    split: tuple[SplitPart, ...] = ()
    shared: tuple[str, ...] = ()  # requirements every part of the split keeps (baseline included)
    unplaced: tuple[str, ...] = ()  # requirements no role context has
    closest: str | None = None
    closest_label: str | None = None
    closest_changes: tuple[tuple[str, Level], ...] = ()

    @property
    def blended(self) -> bool:
        return not self.matches

    @property
    def conflicts(self) -> tuple[Attribution, ...]:
        """The requirements that tell contexts apart, most exclusive first: the warning's lines."""
        lines = [item for item in self.attributions if item.distinguishes]
        return tuple(sorted(lines, key=lambda item: len(item.required_by)))

    def split_sentence(self) -> str:
        if len(self.split) < 2:
            return ""
        labels = [f"{_article(part.label)} {part.label} role" for part in self.split]
        parts = [
            f"the {part.label} role keeps {', '.join(part.takes)}"
            for part in self.split
            if part.takes
        ]
        sentence = f"Split into {_join(labels)}: {'; '.join(parts)}"
        if self.shared:
            every = "both" if len(self.split) == 2 else "all"
            sentence += f"; {every} keep {', '.join(self.shared)}"
        return sentence + "."

    def closest_sentence(self) -> str:
        if not self.closest_changes:
            return ""
        changes = ", ".join(f"{skill} to {level.value}" for skill, level in self.closest_changes)
        label = self.closest_label or ""
        return f"Or keep one {label} role: lower {changes}."

    def summary(self) -> str:
        if not self.blended:
            return f"Matches {', '.join(self.matches)}."
        lines = ["Requirements match no single role context:"]
        lines += [f"- {item.sentence()}" for item in self.conflicts]
        lines += [
            sentence for sentence in (self.split_sentence(), self.closest_sentence()) if sentence
        ]
        return "\n".join(lines)


def _article(label: str) -> str:
    first = label.split(maxsplit=1)[0] if label.strip() else "x"
    # Initialisms are read letter by letter: "an LLM", "an ML"; words by their first sound.
    sounds_vowel = (
        first[0] in "FHLMNRSX" if first.isupper() and len(first) > 1 else first[0] in "AEIOUaeiou"
    )
    return "an" if sounds_vowel else "a"


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def blend_detect(
    *,
    levels: Mapping[str, Level],
    contexts: Sequence[ContextLevels],
    baseline: frozenset[str] = frozenset(),
    own_context: str | None = None,
) -> BlendReport:
    """Applies the rule in the module docstring to one profile's ``levels``.

    ``contexts`` are the built-in profiles in catalog order; ``own_context`` is the profile's
    declared context, preferred when breaking ties in the suggestions.
    """
    required = [skill for skill, level in levels.items() if level == Level.REQUIRED]
    attributions = []
    for skill in required:
        if skill in baseline:
            attributions.append(Attribution(skill, (), (), baseline=True))
            continue
        attributions.append(
            Attribution(
                skill_area=skill,
                required_by=tuple(c.context for c in contexts if c.requires(skill)),
                others=tuple(
                    (c.context, c.level(skill)) for c in contexts if not c.requires(skill)
                ),
            )
        )
    pending = [skill for skill in required if skill not in baseline]
    matches = tuple(c.context for c in contexts if all(c.requires(s) for s in pending))
    if matches:
        return BlendReport(matches=matches, attributions=tuple(attributions))

    # Ties go to the profile's own context, then to catalog order.
    ordered = sorted(contexts, key=lambda c: c.context != own_context)

    # Greedy cover of the non-baseline requirements by as few contexts as possible.
    remaining = list(pending)
    chosen: list[ContextLevels] = []
    while remaining:
        best = max(ordered, key=lambda c: sum(c.requires(s) for s in remaining))
        if not any(best.requires(s) for s in remaining):
            break
        chosen.append(best)
        remaining = [s for s in remaining if not best.requires(s)]
    kept = {c.context: [s for s in pending if c.requires(s)] for c in chosen}
    shared = [s for s in pending if all(s in kept[c.context] for c in chosen)]
    shared += [s for s in required if s in baseline]
    split = tuple(
        SplitPart(c.context, c.label, tuple(s for s in kept[c.context] if s not in shared))
        for c in chosen
    )

    def lowered(c: ContextLevels) -> list[tuple[str, Level]]:
        return [(s, c.level(s)) for s in pending if not c.requires(s)]

    closest = min(ordered, key=lambda c: len(lowered(c)))
    return BlendReport(
        matches=(),
        attributions=tuple(attributions),
        split=split,
        shared=tuple(shared),
        unplaced=tuple(remaining),
        closest=closest.context,
        closest_label=closest.label,
        closest_changes=tuple(lowered(closest)),
    )
