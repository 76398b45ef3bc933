"""Tasks as a pipeline writes them (dicts or Task objects), the DP3 time-chunk generator, and the defaults and
checks dp3q submit applies before anything is published."""
import dataclasses
import datetime
import hashlib
import json

from .errors import InvalidTasks
from .schema import task_problems

SCHEMA = "dp3q.task/1"
CHUNK_PLACEHOLDER = "{chunk}"


@dataclasses.dataclass
class Task:
    """One subprocess run; fields as in schemas/task.schema.json. chunk defaults to the task's place in the list."""
    args: list
    chunk: int = None
    tool: str = None
    pool: str = None
    workdir: str = None
    env: dict = None
    timeout_s: int = None
    max_attempts: int = None
    outputs: list = None
    skip_if_outputs_exist: bool = None
    labels: dict = None
    id: str = None

    def to_dict(self):
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


def dp3_chunks(chunks, ntimes, args=(), first_slot=0, **fields):
    """N DP3 time-chunk tasks, as 'dp3q submit --chunks N --ntimes K --first-slot S --arg ...': chunk i gets args (with
    {chunk} replaced by i) then msin.starttimeslot=S+i*K msin.ntimes=K. fields: tool, pool, workdir, env, ..."""
    if chunks < 1 or ntimes < 1 or first_slot < 0:
        raise InvalidTasks(["chunks and ntimes must be at least 1, first_slot at least 0"])
    return [Task(args=[arg.replace(CHUNK_PLACEHOLDER, str(i)) for arg in args]
                 + ["msin.starttimeslot=%d" % (first_slot + i * ntimes), "msin.ntimes=%d" % ntimes],
                 chunk=i, **fields) for i in range(chunks)]


def digest(task):
    """sha256 of the fields that define a run: the same task submitted again has the same digest."""
    fields = {"tool": task.get("tool", "DP3"), "args": task.get("args", []), "env": task.get("env", {}),
              "workdir": task.get("workdir"), "pool": task.get("pool", "default"), "timeout_s": task.get("timeout_s"),
              "max_attempts": task.get("max_attempts", 1), "expected_s": task.get("expected_s")}
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(batch, tasks, now=None):
    """The tasks as they will be published, defaults filled (schema, batch, chunk, id, chunks, submitted_at), every
    one valid; else InvalidTasks naming each problem by task number, and nothing is published."""
    if isinstance(tasks, (str, bytes, dict)) or not hasattr(tasks, "__iter__"):
        raise InvalidTasks(["tasks must be a list of dicts or Task objects, not %s" % type(tasks).__name__])
    now = now or datetime.datetime.now(datetime.timezone.utc)
    prepared, problems = [], []
    for number, task in enumerate(tasks):
        task = _as_dict(task, number, problems)
        if task is None:
            continue
        if task.setdefault("batch", batch) != batch:
            problems.append("task %d: batch %r differs from the batch submitted, %r" % (number, task["batch"], batch))
        task.setdefault("schema", SCHEMA)
        task.setdefault("chunk", number)
        if isinstance(task["batch"], str) and isinstance(task["chunk"], int) and not isinstance(task["chunk"], bool):
            task.setdefault("id", "%s/%d" % (task["batch"], task["chunk"]))
        prepared.append((number, task))
    for _, task in prepared:
        task.setdefault("chunks", len(prepared))
        task.setdefault("submitted_at", now.isoformat().replace("+00:00", "Z"))
    seen = set()
    for number, task in prepared:
        problems.extend("task %d: %s" % (number, problem) for problem in task_problems(task))
        if task.get("id") in seen:
            problems.append("task %d: task id %s appears more than once" % (number, task["id"]))
        seen.add(task.get("id"))
    if not prepared and not problems:
        problems.append("no tasks given")
    if problems:
        raise InvalidTasks(problems)
    return [task for _, task in prepared]


def _as_dict(task, number, problems):
    if isinstance(task, Task):
        return task.to_dict()
    if isinstance(task, dict):
        return dict(task)
    problems.append("task %d: expected a dict or a Task, got %s %.60r" % (number, type(task).__name__, task))
    return None
