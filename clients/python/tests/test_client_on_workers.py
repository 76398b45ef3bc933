"""The client against a real broker and a real worker JVM running the DP3 stand-in."""
import uuid

import pytest

import dp3q
import support


@pytest.fixture
def client(broker_uri):
    with dp3q.Client(broker_uri, dp3q=str(support.DP3Q)) as made:
        yield made


def batch_name(what):
    return "%s-%s" % (what, uuid.uuid4().hex[:6])


def test_submit_and_wait_on_real_workers(client, worker):
    batch = batch_name("ok")
    report = client.submit_chunks(batch, chunks=6, ntimes=75, first_slot=300,
                                  args=["msin=/data/obs.ms", "tag=" + batch, "standin.sleep=0.2", "out=out_{chunk}.h5"])
    seen = []
    result = client.wait(batch, timeout=120, progress=lambda p: seen.append((p.terminal(), p.total)))

    assert seen and all(total == 6 and done <= 6 for done, total in seen)
    assert len(report.published) == 6
    assert result.ok and result.total == 6
    assert [c.chunk for c in result.chunks] == list(range(6))
    assert all(c.state == "succeeded" and c.exit_code == 0 and c.duration_ms >= 200 and c.log for c in result.chunks)
    runs = worker.starts("tag=" + batch)
    assert len(runs) == 6
    assert ["msin=/data/obs.ms", "tag=" + batch, "standin.sleep=0.2", "out=out_2.h5", "msin.starttimeslot=450",
            "msin.ntimes=75"] in runs


def test_a_failed_chunk_raises_batch_failed_then_replay_succeeds(client, worker, workdir):
    batch = batch_name("replay")
    once = workdir / (batch + ".failed-once")
    tasks = [dp3q.Task(args=["tag=" + batch, "standin.sleep=0.1"]),
             {"args": ["tag=" + batch, "standin.fail-once=%s" % once, "standin.stderr=cannot open sky model"]}]
    client.submit(batch, tasks)

    with pytest.raises(dp3q.BatchFailed) as failure:
        client.wait(batch, timeout=120)

    assert [(c.chunk, c.exit_code, c.reason) for c in failure.value.failed] == [(1, 3, "exit")]
    assert "chunk 1 (%s/1)" % batch in str(failure.value) and "client.replay(%r)" % batch in str(failure.value)
    failed = support.eventually(lambda: client.failed(batch), 30, "the failed record")
    assert [(f.task_id, f.exit_code) for f in failed] == [(batch + "/1", 3)]

    client.replay(batch)
    result = client.wait(batch, timeout=120)

    assert result.ok and [c.state for c in result.chunks] == ["succeeded", "succeeded"]
    assert len(worker.starts("tag=" + batch)) == 3
    assert client.failed(batch) == []


def test_cancel_ends_the_wait_with_batch_cancelled(client, worker):
    batch = batch_name("cancel")
    client.submit_chunks(batch, chunks=4, ntimes=10, args=["tag=" + batch, "standin.sleep=60"])
    support.eventually(lambda: client.status(batch).counts["running"] == 2, 60, "2 chunks running")

    client.cancel(batch)
    with pytest.raises(dp3q.BatchCancelled) as cancelled:
        client.wait(batch, timeout=60)

    assert [c.state for c in cancelled.value.result.chunks] == ["cancelled"] * 4
    assert client.status(batch).outcome == "cancelled"


def test_submitting_a_live_batch_again_does_not_run_it_twice(client, worker):
    batch = batch_name("again")
    chunks = dict(chunks=3, ntimes=10, args=["tag=" + batch, "standin.sleep=1"])
    first = client.submit_chunks(batch, **chunks)
    again = client.submit_chunks(batch, **chunks)
    with pytest.raises(dp3q.ConflictingTasks) as conflict:
        client.submit_chunks(batch, chunks=3, ntimes=20, args=["tag=" + batch, "standin.sleep=1"])

    result = client.wait(batch, timeout=120)

    assert (len(first.published), len(again.published), len(again.left_alone)) == (3, 0, 3)
    assert conflict.value.task_ids == [batch + "/0", batch + "/1", batch + "/2"]
    assert result.ok and len(worker.starts("tag=" + batch)) == 3


def test_garbage_input_is_rejected_whole_with_the_problems_named(client):
    batch = batch_name("garbage")
    garbage = [{"args": ["msin=/data/obs.ms"]}, "not a task", {"args": "msin=x"},
               {"args": [], "chunk": -1}, {"args": [], "tool": "/usr/bin/DP3"}, {"args": [], "priority": 3}]

    with pytest.raises(dp3q.InvalidTasks) as rejected:
        client.submit(batch, garbage)
    with pytest.raises(dp3q.InvalidTasks) as not_a_list:
        client.submit(batch, {"args": []})

    problems = rejected.value.problems
    assert problems[0].startswith("task 1: expected a dict or a Task")
    assert any(p.startswith("task 2: /args: string found, array expected") for p in problems)
    assert any(p.startswith("task 3: /chunk: must be at least 0") for p in problems)
    assert any(p.startswith("task 4: /tool") for p in problems)
    assert any(p.startswith("task 5:") and "priority" in p for p in problems)
    assert "must be a list" in str(not_a_list.value)
    # submit records a task's submitted event before the task itself: no event, nothing published
    assert client.status(batch).total is None


def test_the_dask_like_executor_gathers_a_batch(broker_uri, worker):
    tag = batch_name("dask")
    with dp3q.Client(broker_uri) as client:
        executor = dp3q.DaskLikeExecutor(client, batch="dask")
        futures = [executor.submit("DP3", ["tag=" + tag, "msin.starttimeslot=%d" % (i * 10)],
                                   resources={"subprocess_slots": 1}) for i in range(3)]
        outcomes = executor.gather(futures)

    assert [o.state for o in outcomes] == ["succeeded"] * 3
    assert futures[2].result().exit_code == 0
    assert len(worker.starts("tag=" + tag)) == 3


def test_the_three_step_example_pipeline_runs_its_steps_one_after_the_other(broker_uri, worker, workdir):
    import os
    import subprocess
    run = uuid.uuid4().hex[:6]
    env = dict(os.environ, PYTHONPATH=str(support.REPO / "clients" / "python"))
    done = subprocess.run(["/usr/bin/python3", str(support.REPO / "examples" / "python" / "pipeline.py"),
                           "--broker", broker_uri, "--ms", "/data/obs.ms", "--out", str(workdir), "--chunks", "3",
                           "--ntimes", "20", "--run", run, "--arg", "tag=" + run, "--arg", "standin.sleep=0.1"],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)

    assert done.returncode == 0, done.stdout
    for step in ("predict", "solve", "apply"):
        assert "%s: all 3 chunks succeeded" % step in done.stdout
    lines = [line.split(" ") for line in worker.record.read_text().splitlines()]
    ended = {parts[2]: int(parts[1]) for parts in lines if parts[0] == "end"}
    runs = [(next(a for a in parts if a.startswith("steps=")), int(parts[1]), ended[parts[2]])
            for parts in lines if parts[0] == "start" and "tag=" + run in parts]
    assert [step for step, _, _ in runs] == ["steps=[predict]"] * 3 + ["steps=[solve]"] * 3 + ["steps=[applycal]"] * 3
    for before, after in (("steps=[predict]", "steps=[solve]"), ("steps=[solve]", "steps=[applycal]")):
        assert max(end for step, _, end in runs if step == before) < min(start for step, start, _ in runs if step == after)


def test_waiting_on_a_batch_nothing_is_known_of_ends_after_the_grace(client):
    with pytest.raises(dp3q.UnknownBatch) as unknown:
        client.wait(batch_name("misspelt"), grace=1)
    with pytest.raises(dp3q.WaitTimeout):
        client.wait(batch_name("later"), expect=2, grace=1, timeout=3)

    assert "nothing is known of batch misspelt-" in str(unknown.value)


def test_tasks_the_broker_does_not_take_are_named_and_submitting_again_publishes_them(client, broker_uri):
    import pika
    batch = batch_name("lost-queue")
    client.submit(batch, [dp3q.Task(args=["tag=" + batch], pool="nobody")])
    with pika.BlockingConnection(pika.URLParameters(broker_uri)) as admin:
        admin.channel().queue_delete("dp3q.tasks.nobody")  # gone after this client declared it: tasks are unroutable

    with pytest.raises(dp3q.SubmitNotConfirmed) as refused:
        client.submit(batch + "-2", [dp3q.Task(args=["a"], pool="nobody"), dp3q.Task(args=["b"], pool="nobody")])
    with dp3q.Client(broker_uri) as fresh:  # a new connection declares the pool's queue again
        report = fresh.submit(batch + "-2", [dp3q.Task(args=["a"], pool="nobody"), dp3q.Task(args=["b"], pool="nobody")])

    assert refused.value.not_accepted == [batch + "-2/0", batch + "-2/1"]
    assert "did not accept 2 of 2 task(s): %s-2/0, %s-2/1" % (batch, batch) in str(refused.value)
    assert report.published == [batch + "-2/0", batch + "-2/1"]


def test_a_client_whose_connection_was_dropped_connects_again(client, broker, vhost):
    import json
    import urllib.parse
    batch = batch_name("dropped")
    client.status(batch)  # the client holds a connection now

    def mine():
        listed = json.loads(broker.api("GET", "/api/vhosts/%s/connections" % urllib.parse.quote(vhost, safe="")))
        return [c["name"] for c in listed if c["client_properties"].get("connection_name") == "dp3q python client"]
    dropped = support.eventually(mine, 30, "the client's connection listed")  # the management API lags a little
    for name in dropped:
        broker.api("DELETE", "/api/connections/" + urllib.parse.quote(name, safe=""))

    report = client.submit(batch, [dp3q.Task(args=["tag=" + batch])])

    assert len(dropped) == 1
    assert report.published == [batch + "/0"]
    assert client.status(batch).total == 1



def test_submits_on_one_connection_publish_on_one_channel_and_a_failed_one_leaves_the_next_whole(broker):
    import pika
    vhost = support.new_vhost_name("held")  # a vhost of its own: no index summary falls due during these submits
    broker.create_vhost(vhost)
    try:
        with dp3q.Client(broker.uri(vhost)) as client:
            client.submit(batch_name("held"), [dp3q.Task(args=["a"], pool="nobody")])  # connects, follows, declares
            connection = client._connected()
            opened, open_channel = [], connection.channel
            connection.channel = lambda *args, **kwargs: opened.append(1) or open_channel(*args, **kwargs)

            for i in range(3):
                client.submit(batch_name("held-%d" % i), [dp3q.Task(args=["a"], pool="nobody")])
            submits_opened = len(opened)
            with pika.BlockingConnection(pika.URLParameters(broker.uri(vhost))) as admin:
                admin.channel().queue_delete("dp3q.tasks.nobody")  # its tasks are now unroutable: the submit fails
            with pytest.raises(dp3q.SubmitNotConfirmed):
                client.submit(batch_name("held-refused"), [dp3q.Task(args=["a"], pool="nobody")])
            after = batch_name("held-after")
            report = client.submit(after, [dp3q.Task(args=["a"]), dp3q.Task(args=["b"])])
            status = client.status(after)
    finally:
        broker.delete_vhost(vhost)

    assert submits_opened == 0  # each submit opened a channel and turned confirms on: 1.5 ms before its first task
    assert report.published == [after + "/0", after + "/1"]
    assert status.total == 2
