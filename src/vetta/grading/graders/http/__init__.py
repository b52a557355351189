"""Pieces of the `http_conformance` grader: the check-file format (`checks`), the pure judgement
of responses (`judge`), and the trusted HTTP client that runs in the sandbox's network namespace
(`client`). The grader itself lives in `vetta.grading.graders.http_conformance`."""
