"""Job descriptions generated from a role profile, in Markdown and HTML. Pure Python.

Each required and preferred skill area is listed with its description from the brief and the
assessment methods (PRODUCT.md's names) that will evidence it, so a candidate reads up front what
will be judged and how.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from vetta.catalog.domain import AssessmentMethod, Level


@dataclass(frozen=True)
class SkillLine:
    key: str
    name: str
    description: str
    level: Level
    methods: tuple[AssessmentMethod, ...]
    notes: str = ""


@dataclass(frozen=True)
class JobDescription:
    title: str
    role_context_label: str
    summary: str
    skills: tuple[SkillLine, ...]

    @property
    def required(self) -> tuple[SkillLine, ...]:
        return tuple(line for line in self.skills if line.level == Level.REQUIRED)

    @property
    def preferred(self) -> tuple[SkillLine, ...]:
        return tuple(line for line in self.skills if line.level == Level.PREFERRED)

    @property
    def methods(self) -> tuple[AssessmentMethod, ...]:
        """The methods the assessment will use, in PRODUCT.md's order."""
        used = {m for line in self.required + self.preferred for m in line.methods}
        return tuple(method for method in AssessmentMethod if method in used)


def _escape(text: str) -> str:
    # Notes are typed by hiring managers: keep them from turning into headings, links or HTML.
    special = "\\`*_{}[]()#+-.!<>|"
    return "".join(f"\\{char}" if char in special else char for char in " ".join(text.split()))


def _skill_lines(lines: Sequence[SkillLine]) -> list[str]:
    out: list[str] = []
    for line in lines:
        # A trailing backslash is CommonMark's hard line break: each part on its own line.
        out.append(f"- **{line.name}** (`{line.key}`): {line.description}\\")
        if line.notes:
            out.append(f"  *Note:* {_escape(line.notes)}\\")
        methods = ", ".join(f"{m.label} (`{m.value}`)" for m in line.methods)
        out.append(f"  Assessed by: {methods}.")
    return out


def job_description_markdown(jd: JobDescription) -> str:
    out = [f"# {_escape(jd.title)}", "", f"*Role context: {jd.role_context_label}*", ""]
    if jd.summary:
        out += [_escape(jd.summary), ""]
    out += ["## Required skills", ""]
    out += _skill_lines(jd.required) or ["- None."]
    if jd.preferred:
        out += ["", "## Preferred skills", "", *_skill_lines(jd.preferred)]
    out += [
        "",
        "## How we assess",
        "",
        "We assess on real work samples, not on a list of keywords. You will see what is judged "
        "and how before each exercise, and you can ask for an alternative or an accommodation.",
        "",
    ]
    for method in jd.methods:
        out.append(f"- **{method.label}** (`{method.value}`): {method.description}")
    out += [
        "",
        "A named person makes every hiring decision and records why; no candidate is rejected "
        "automatically.",
        "",
    ]
    return "\n".join(out)


_renderer = MarkdownIt("commonmark", {"html": False})


def job_description_html(jd: JobDescription) -> str:
    """An HTML fragment (no <html> wrapper); raw HTML in notes is escaped, never rendered."""
    return str(_renderer.render(job_description_markdown(jd)))
