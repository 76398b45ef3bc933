"""The package's validator gives the Java validator's verdicts on schemas/examples/task (TaskCodecTest runs them)."""
import json
import pathlib

import pytest

from dp3q.schema import task_problems

REPO = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = sorted((REPO / "schemas" / "examples" / "task").glob("*.json"))


def test_the_packaged_schema_is_the_one_in_schemas():
    packaged = pathlib.Path(__file__).resolve().parents[1] / "dp3q" / "task.schema.json"
    assert packaged.read_bytes() == (REPO / "schemas" / "task.schema.json").read_bytes()


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.name.startswith("valid-")], ids=lambda p: p.stem)
def test_every_valid_example_is_accepted(path):
    assert task_problems(json.loads(path.read_text())) == []


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.name.startswith("invalid-")], ids=lambda p: p.stem)
def test_every_invalid_example_is_rejected(path):
    assert task_problems(json.loads(path.read_text())) != []


@pytest.mark.parametrize("name, named", [
    ("invalid-env-name.json", "NOT A NAME"), ("invalid-missing-batch.json", "batch"),
    ("invalid-negative-chunk.json", "chunk"), ("invalid-relative-workdir.json", "workdir"),
    ("invalid-schema-version.json", "dp3q.task/2"), ("invalid-tool-is-a-path.json", "tool"),
    ("invalid-unknown-field.json", "priority")])
def test_the_rejection_names_the_problem(name, named):
    problems = task_problems(json.loads((REPO / "schemas" / "examples" / "task" / name).read_text()))
    assert any(named in problem for problem in problems), problems


def test_there_are_examples_of_both_kinds():
    assert {p.name.split("-")[0] for p in EXAMPLES} == {"valid", "invalid"}


def test_the_event_types_and_reasons_read_are_those_of_the_event_schema():
    from dp3q.lifecycle import EVENT_TYPES
    from dp3q.records import REASONS
    schema = json.loads((pathlib.Path(__file__).resolve().parents[3] / "schemas" / "event.schema.json").read_text())
    properties = schema["properties"]
    assert set(REASONS) == set(properties["reason"]["enum"])
    assert set(EVENT_TYPES) == set(properties["event"]["enum"])
