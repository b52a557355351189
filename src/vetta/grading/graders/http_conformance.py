"""`http_conformance` grader: being built; grading with it answers grader_error."""

from __future__ import annotations

from vetta.grading.graders.base import Graded, Grader, GraderConfig, GraderFailure, GradingContext


class HttpConformanceConfig(GraderConfig):
    pass


class HttpConformanceGrader(Grader[HttpConformanceConfig]):
    kind = "http_conformance"
    config_model = HttpConformanceConfig

    def grade(self, ctx: GradingContext, config: HttpConformanceConfig) -> Graded:
        raise GraderFailure("the http_conformance grader is not implemented yet")


GRADER = HttpConformanceGrader()
