"""`labelled_corpus` grader: being built; grading with it answers grader_error."""

from __future__ import annotations

from vetta.grading.graders.base import Graded, Grader, GraderConfig, GraderFailure, GradingContext


class LabelledCorpusConfig(GraderConfig):
    pass


class LabelledCorpusGrader(Grader[LabelledCorpusConfig]):
    kind = "labelled_corpus"
    config_model = LabelledCorpusConfig

    def grade(self, ctx: GradingContext, config: LabelledCorpusConfig) -> Graded:
        raise GraderFailure("the labelled_corpus grader is not implemented yet")


GRADER = LabelledCorpusGrader()
