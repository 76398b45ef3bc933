"""wait rides through a broker restart: a private RabbitMQ node (never the shared broker) is stopped and started
again while the client waits on a batch that a real worker runs."""
import threading

import pytest

import dp3q
import support
from scratch_broker import ScratchBroker


@pytest.fixture(scope="module")
def own_broker():
    support.require_jars()
    node = ScratchBroker().start()
    yield node
    node.close()


def test_wait_returns_the_batch_result_across_a_broker_restart(own_broker, tmp_path):
    uri = own_broker.endpoint().uri("/")
    worker = support.Worker(uri, tmp_path, slots=2, tag="restart")
    try:
        support.eventually(lambda: own_broker.endpoint().queue("/", "dp3q.tasks.default")[1] == 2, 90, "2 consumers")
        with dp3q.Client(uri) as client:
            client.submit_chunks("restart", chunks=4, ntimes=10, args=["tag=restart", "standin.sleep=2"])
            support.eventually(lambda: client.status("restart").counts["running"] == 2, 60, "2 chunks running")
        outcome = {}

        def wait():
            try:
                outcome["result"] = dp3q.Client(uri, broker_timeout=180).wait("restart", timeout=300)
            except Exception as e:  # noqa: BLE001 - handed to the test thread
                outcome["error"] = e

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        assert "result" not in outcome and "error" not in outcome
        own_broker.stop()
        own_broker.start()
        waiter.join(300)

        assert "error" not in outcome, outcome.get("error")
        result = outcome["result"]
        assert result.ok and [c.state for c in result.chunks] == ["succeeded"] * 4
        assert all(c.exit_code == 0 for c in result.chunks)
    finally:
        worker.stop()
