import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import support  # noqa: E402


@pytest.fixture(scope="module")
def broker():
    return support.Broker.from_env()


@pytest.fixture(scope="module")
def vhost(broker, request):
    """A vhost of this test module's own, created and deleted through the management API."""
    name = support.new_vhost_name(request.module.__name__.rsplit(".", 1)[-1].replace("_", "-"))
    broker.create_vhost(name)
    yield name
    broker.delete_vhost(name)


@pytest.fixture(scope="module")
def broker_uri(broker, vhost):
    return broker.uri(vhost)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


@pytest.fixture(scope="module")
def worker(broker, vhost, broker_uri, workdir):
    """One real worker with 2 slots, serving the default pool of this module's vhost."""
    support.require_jars()
    started = support.Worker(broker_uri, workdir, slots=2)
    try:
        support.eventually(lambda: broker.queue(vhost, "dp3q.tasks.default")[1] == 2, 90, "2 consumers on the pool")
        yield started
    finally:
        started.stop()
