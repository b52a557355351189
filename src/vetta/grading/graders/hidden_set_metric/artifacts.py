"""Trusted-side reading of what crosses a sandbox boundary in the `hidden_set_metric` grader:
the package's hidden set (features and labels), the candidate's predictions, and the model
directory moved from the training run to the prediction run as opaque bytes.

Everything the candidate produced is hostile input here: sizes are capped before parsing, each
problem gets a message the candidate can act on, and nothing is ever unpickled or executed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tarfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

PredictionsFormat = Literal["csv", "json"]
_EXAMPLES = 3  # ids quoted in a message; enough to find the pattern, short enough to read


class PredictionsError(ValueError):
    """The candidate's predictions cannot be scored; the message says why, for them."""


class ModelArchiveError(ValueError):
    """The model directory cannot be handed from the training run to the prediction run."""


@dataclass(frozen=True)
class ScoringSet:
    """Rows to predict: the features file exactly as handed to the sandbox, its ids in file
    order, and the labels aligned to them (which stay on this side)."""

    features: bytes
    ids: tuple[str, ...]
    labels: npt.NDArray[np.int64]


def _rows(text: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""), strict=True)


def load_scoring_set(
    features: bytes, labels: bytes, *, id_column: str, label_column: str
) -> ScoringSet:
    """Reads the package's hidden set; ValueError names the problem (a package defect)."""
    try:
        feature_rows = _rows(features.decode("utf-8"))
        header = next(feature_rows, None)
        if not header:
            raise ValueError("the features file is empty")
        if label_column in header:
            raise ValueError(
                f"the features file has the label column {label_column!r}: labels must stay "
                "in the labels file, outside the sandbox"
            )
        if id_column not in header:
            raise ValueError(f"the features file has no id column {id_column!r}")
        at = header.index(id_column)
        ids = [row[at] for row in feature_rows if row]
        label_rows = _rows(labels.decode("utf-8"))
        label_header = next(label_rows, None) or []
        if id_column not in label_header or label_column not in label_header:
            raise ValueError(
                f"the labels file needs the columns {id_column!r} and {label_column!r}"
            )
        id_at, label_at = label_header.index(id_column), label_header.index(label_column)
        truth: dict[str, int] = {}
        for row in label_rows:
            if not row:
                continue
            if row[label_at] not in {"0", "1"}:
                raise ValueError(f"label {row[label_at]!r} of {row[id_at]!r} is not 0 or 1")
            if row[id_at] in truth:
                raise ValueError(f"the labels file repeats id {row[id_at]!r}")
            truth[row[id_at]] = int(row[label_at])
    except (UnicodeDecodeError, csv.Error, IndexError) as exc:
        raise ValueError(f"the hidden set is not well-formed CSV: {exc}") from exc
    if len(set(ids)) != len(ids) or "" in ids:
        raise ValueError("the features file has empty or repeated ids")
    if set(ids) != set(truth):
        raise ValueError(
            f"the features ({len(ids)} ids) and labels ({len(truth)} ids) files do not hold the "
            "same customers"
        )
    y = np.array([truth[i] for i in ids], dtype=np.int64)
    if y.min() == y.max():
        raise ValueError("the labels hold a single class; ranking metrics are undefined")
    return ScoringSet(features=features, ids=tuple(ids), labels=y)


def _examples(items: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in items[:_EXAMPLES])
    return shown + (f" and {len(items) - _EXAMPLES} more" if len(items) > _EXAMPLES else "")


def _csv_records(text: str, id_column: str, value_column: str) -> Iterator[tuple[str, object]]:
    rows = _rows(text)
    try:
        header = next(rows, None)
    except csv.Error as exc:
        raise PredictionsError(f"the header line is not valid CSV: {exc}") from None
    expected = f"`{id_column},{value_column}`"
    if not header or not any(cell.strip() for cell in header):
        raise PredictionsError(
            f"the predictions file is empty; write a header {expected} and one row per customer"
        )
    names = [cell.strip() for cell in header]
    if sorted(names) != sorted([id_column, value_column]):
        hint = ""
        if names[0] in {"", "Unnamed: 0", "index"}:
            hint = " (an unnamed first column is usually the DataFrame index: use index=False)"
        elif id_column not in names:
            hint = f" (the id column must be called {id_column!r})"
        elif value_column not in names:
            hint = f" (the probability column must be called {value_column!r})"
        raise PredictionsError(
            f"the header is `{','.join(names)}`; expected exactly the columns {expected}{hint}"
        )
    id_at, value_at = names.index(id_column), names.index(value_column)
    line = 1
    try:
        for row in rows:
            line += 1
            if not row:
                continue
            if len(row) != 2:
                raise PredictionsError(
                    f"line {line} has {len(row)} fields; expected 2 ({expected})"
                )
            yield row[id_at].strip(), row[value_at].strip()
    except csv.Error as exc:
        raise PredictionsError(f"line {line} is not valid CSV: {exc}") from None


def _json_records(text: str, id_column: str, value_column: str) -> Iterator[tuple[str, object]]:
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise PredictionsError(f"the predictions file is not valid JSON: {exc}") from None
    if isinstance(data, dict):
        yield from ((str(key), value) for key, value in data.items())
        return
    if not isinstance(data, list):
        raise PredictionsError(
            "expected a JSON list of records "
            f'[{{"{id_column}": ..., "{value_column}": ...}}] or an object {{id: probability}}'
        )
    for position, record in enumerate(data):
        if not isinstance(record, dict) or set(record) != {id_column, value_column}:
            raise PredictionsError(
                f"record {position} is not an object with exactly the keys "
                f"{id_column!r} and {value_column!r}"
            )
        if not isinstance(record[id_column], str):
            raise PredictionsError(f"record {position}: {id_column!r} must be a string")
        yield record[id_column], record[value_column]


def _probability(value: object) -> tuple[float | None, str]:
    """(a finite number in [0, 1], "") or (None, what is wrong with it). CSV cells are text and
    are parsed; JSON values must already be numbers."""
    if isinstance(value, str):
        if not value:
            return None, "is empty"
        try:
            number = float(value)
        except ValueError:
            return None, "is not a number"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        return None, "is not a number"
    if not math.isfinite(number):
        return None, "is not a finite number"
    if not 0.0 <= number <= 1.0:
        return (
            None,
            "is outside [0, 1] (a probability is expected, not a score, a logit or a percentage)",
        )
    return number, ""


def parse_predictions(
    raw: bytes,
    *,
    ids: Sequence[str],
    id_column: str,
    value_column: str,
    fmt: PredictionsFormat = "csv",
    max_bytes: int = 16 * 1024 * 1024,
) -> npt.NDArray[np.float64]:
    """The probability for every id of `ids`, in that order. Raises PredictionsError on any
    problem: an unknown, missing or repeated id, a value that is not a finite number in [0, 1],
    a wrong header, an oversized or undecodable file."""
    if len(raw) > max_bytes:
        raise PredictionsError(
            f"the predictions file has {len(raw)} bytes; the limit is {max_bytes} bytes"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PredictionsError("the predictions file is not UTF-8 text") from None
    records = (
        _csv_records(text, id_column, value_column)
        if fmt == "csv"
        else _json_records(text, id_column, value_column)
    )
    index = {identifier: position for position, identifier in enumerate(ids)}
    values = np.full(len(ids), np.nan, dtype=np.float64)
    seen = np.zeros(len(ids), dtype=bool)
    unknown: list[str] = []
    repeated: list[str] = []
    invalid: list[tuple[str, object, str]] = []
    for count, (identifier, value) in enumerate(records, start=1):
        # Far more rows than customers: stop reading, the message is already clear.
        if count > 2 * len(ids) + 100:
            raise PredictionsError(
                f"the predictions file has more than {2 * len(ids) + 100} rows for "
                f"{len(ids)} customers"
            )
        position = index.get(identifier)
        if position is None:
            unknown.append(identifier)
            continue
        if seen[position]:
            repeated.append(identifier)
            continue
        seen[position] = True
        number, problem = _probability(value)
        if number is None:
            invalid.append((identifier, value, problem))
        else:
            values[position] = number
    problems: list[str] = []
    missing = [ids[int(i)] for i in np.flatnonzero(~seen)]
    if missing:
        problems.append(
            f"{len(missing)} of {len(ids)} customers have no prediction (e.g. {_examples(missing)})"
        )
    if unknown:
        problems.append(
            f"{len(unknown)} row(s) name ids that are not in the features file "
            f"({_examples(unknown)})"
        )
    if repeated:
        problems.append(
            f"{len(repeated)} id(s) appear more than once ({_examples(repeated)}); "
            "write exactly one row per customer"
        )
    if invalid:
        identifier, value, problem = invalid[0]
        problems.append(
            f"{len(invalid)} prediction(s) are not probabilities: the value {str(value)[:40]!r} "
            f"for {identifier!r} {problem}"
        )
    if problems:
        raise PredictionsError("; ".join(problems))
    return values


def read_model_archive(
    raw: bytes, *, prefix: str, max_bytes: int, max_files: int
) -> dict[str, bytes]:
    """The files of an uncompressed tar as {prefix/name: bytes}: regular files only, relative
    names without `..`, within the file-count and byte caps. Nothing is interpreted."""
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            while (member := archive.next()) is not None:
                if member.isdir():
                    continue
                name = PurePosixPath(member.name)
                if not member.isreg():
                    raise ModelArchiveError(
                        f"{prefix}/{member.name} is a link or a special file; only regular "
                        "files are handed to the prediction run"
                    )
                parts = [p for p in name.parts if p != "."]
                if name.is_absolute() or not parts or ".." in parts:
                    raise ModelArchiveError(
                        f"the model archive holds an unsafe name {member.name!r}"
                    )
                if len(files) >= max_files:
                    raise ModelArchiveError(
                        f"{prefix}/ holds more than {max_files} files; save the model in fewer"
                    )
                total += member.size
                if total > max_bytes:
                    raise ModelArchiveError(
                        f"{prefix}/ is larger than {max_bytes // (1024 * 1024)} MiB"
                    )
                handle = archive.extractfile(member)
                data = handle.read() if handle is not None else b""
                if len(data) != member.size:
                    raise ModelArchiveError("the model archive is truncated")
                key = f"{prefix}/{'/'.join(parts)}"
                if key in files:
                    raise ModelArchiveError(f"the model archive repeats {key}")
                files[key] = data
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ModelArchiveError(f"the model archive cannot be read ({exc})") from None
    return files
