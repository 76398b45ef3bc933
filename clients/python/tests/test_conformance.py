"""The conformance vectors of schemas/conformance/, which BatchProgressConformanceTest runs in Java too."""
import json
import pathlib

import pytest

from dp3q.progress import BatchProgress
from dp3q.records import UnreadableRecord, read_events

VECTORS = sorted((pathlib.Path(__file__).resolve().parents[3] / "schemas" / "conformance").glob("*.json"))


def test_there_are_vectors():
    assert len(VECTORS) >= 10


def events_of(record):
    body = record.encode() if isinstance(record, str) else json.dumps(record).encode()
    try:
        return read_events(body)
    except UnreadableRecord:
        return []


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_every_vector_folds_to_its_expected_states(path):
    vector = json.loads(path.read_text())
    progress = BatchProgress(vector["batch"], vector.get("expect"))
    applied = 0
    for check in vector["checks"]:
        for record in vector["records"][applied:check["after"]]:
            for event in events_of(record):
                progress.apply(event)
        applied = check["after"]
        where = "%s after %d record(s)" % (path.name, applied)
        assert progress.outcome() == check["outcome"], where
        assert progress.total == check["total"], where
        assert {task_id: view.state.value for task_id, view in progress.tasks.items()} == check["tasks"], where
