"""`hidden_set_metric` grader: being built; grading with it answers grader_error."""

from __future__ import annotations

from vetta.grading.graders.base import Graded, Grader, GraderConfig, GraderFailure, GradingContext


class HiddenSetMetricConfig(GraderConfig):
    pass


class HiddenSetMetricGrader(Grader[HiddenSetMetricConfig]):
    kind = "hidden_set_metric"
    config_model = HiddenSetMetricConfig

    def grade(self, ctx: GradingContext, config: HiddenSetMetricConfig) -> Graded:
        raise GraderFailure("the hidden_set_metric grader is not implemented yet")


GRADER = HiddenSetMetricGrader()
