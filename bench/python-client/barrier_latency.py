#!/usr/bin/env python3
"""What one barrier costs a pipeline: the dp3q Python client (a connection already open, as a Dask client is)
next to the dp3q command line (a JVM per barrier: dp3q submit --wait), same workers, same broker, same run.

    bench/python-client/barrier_latency.py [--rounds 10] [--chunks 4] [--sleep 0.3] [--dask]

Per barrier of CHUNKS chunks on CHUNKS slots (2 workers): submit -> first start = from calling submit to the first
chunk's subprocess starting; wait return = from the last chunk's subprocess ending to wait returning. Both from
the DP3 stand-in's own CLOCK_REALTIME timestamps (bench/standin/dp3-standin-fast.c, compiled here). A fresh vhost
on the broker in RABBITMQ_URI (management API RABBITMQ_MANAGEMENT_URI), deleted afterwards. Needs a package build.
--dask adds Dask as a pipeline uses it today (python3-distributed): a scheduler and one worker per chunk with
--resources subprocess_slots=1, client.submit(run, ..., resources={"subprocess_slots": 1}) per chunk, then gather.
"""
import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "clients" / "python"), str(REPO / "clients" / "python" / "tests")]

import dp3q  # noqa: E402
import support  # noqa: E402


def standin(workdir):
    binary = workdir / "dp3-standin-fast"
    subprocess.run(["gcc", "-O2", "-o", str(binary), str(REPO / "bench" / "standin" / "dp3-standin-fast.c")], check=True)
    return binary


def runs(record, tag):
    """(first start ns, last end ns) of the stand-in runs whose argv holds tag=TAG."""
    lines = [line.split(" ") for line in record.read_text().splitlines()]
    ends = {parts[2]: int(parts[1]) for parts in lines if parts[0] == "end"}
    starts = [(int(parts[1]), parts[2]) for parts in lines if parts[0] == "start" and "tag=" + tag in parts]
    return min(s for s, _ in starts), max(ends[pid] for _, pid in starts)


def python_barrier(client, batch, chunks, sleep):
    t0 = time.time_ns()
    client.submit_chunks(batch, chunks, 10, args=["tag=" + batch, "standin.sleep=%s" % sleep])
    client.wait(batch)
    return t0, time.time_ns()


def cli_barrier(uri, batch, chunks, sleep):
    t0 = time.time_ns()
    subprocess.run([str(REPO / "bin" / "dp3q"), "submit", "--broker", uri, "--batch", batch, "--chunks", str(chunks),
                    "--ntimes", "10", "--arg", "tag=" + batch, "--arg", "standin.sleep=%s" % sleep, "--wait",
                    "--progress", "none"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return t0, time.time_ns()


def run_tool(tool, args, record):
    """What a Dask task does in today's pipelines: one subprocess per chunk."""
    import os
    import subprocess as sp
    sp.run([tool] + args, check=True, env=dict(os.environ, STANDIN_RECORD=record), stdout=sp.DEVNULL)


class DaskCluster:
    """A Dask scheduler and workers on loopback, one subprocess slot each; stopped by their pids."""

    def __init__(self, workdir, workers):
        from distributed import Client
        port = support.free_ports(1)[0]
        self.processes = [subprocess.Popen(["/usr/bin/dask-scheduler", "--host", "127.0.0.1", "--port", str(port),
                                            "--no-dashboard", "--no-show"], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)]
        address = "tcp://127.0.0.1:%d" % port
        for i in range(workers):
            self.processes.append(subprocess.Popen(
                ["/usr/bin/dask-worker", address, "--name", "d%d" % i, "--nworkers", "1", "--nthreads", "1",
                 "--resources", "subprocess_slots=1", "--host", "127.0.0.1", "--no-dashboard", "--local-directory",
                 str(workdir / "dask")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.client = Client(address, timeout=60)
        self.client.wait_for_workers(workers, timeout=120)

    def barrier(self, batch, chunks, sleep, tool, record):
        t0 = time.time_ns()
        futures = [self.client.submit(run_tool, str(tool), ["tag=" + batch, "standin.sleep=%s" % sleep,
                                                            "msin.starttimeslot=%d" % (i * 10)], str(record),
                                      key="%s-%d" % (batch, i), pure=False, resources={"subprocess_slots": 1})
                   for i in range(chunks)]
        self.client.gather(futures)
        return t0, time.time_ns()

    def close(self):
        self.client.close()
        for process in reversed(self.processes):
            process.terminate()
            process.wait(30)


def summary(name, figures):
    ms = lambda values: "median %6.1f ms  p90 %6.1f ms  min %6.1f ms" % (
        statistics.median(values), sorted(values)[int(0.9 * (len(values) - 1))], min(values))
    print("%-12s submit -> first start: %s" % (name, ms([f[0] for f in figures])))
    print("%-12s last end -> wait return: %s" % ("", ms([f[1] for f in figures])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--chunks", type=int, default=4)
    parser.add_argument("--sleep", default="0.3")
    parser.add_argument("--dask", action="store_true", help="time Dask too (python3-distributed)")
    options = parser.parse_args()
    support.require_jars()
    broker = support.Broker.from_env()
    vhost = support.new_vhost_name("bench")
    broker.create_vhost(vhost)
    uri = broker.uri(vhost)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="dp3q-py-bench"))
    workers, dask = [], None
    try:
        tool = standin(workdir)
        support.STANDIN = tool
        slots = (options.chunks + 1) // 2
        workers = [support.Worker(uri, workdir, slots=slots, tag="w%d" % i) for i in range(2)]
        support.eventually(lambda: broker.queue(vhost, "dp3q.tasks.default")[1] == 2 * slots, 90, "consumers")
        systems = ("python", "cli") + (("dask",) if options.dask else ())
        figures = {name: [] for name in systems}
        dask_record = workdir / "standin-dask.log"
        if options.dask:
            dask = DaskCluster(workdir, options.chunks)
        with dp3q.Client(uri) as client:
            for round_ in range(options.rounds + 1):
                for name in systems:
                    batch = "%s-%d" % (name, round_)
                    if name == "python":
                        t0, returned = python_barrier(client, batch, options.chunks, options.sleep)
                    elif name == "cli":
                        t0, returned = cli_barrier(uri, batch, options.chunks, options.sleep)
                    else:
                        t0, returned = dask.barrier(batch, options.chunks, options.sleep, tool, dask_record)
                    records = [dask_record] if name == "dask" else [w.record for w in workers]
                    spans = [runs(r, batch) for r in records if r.exists() and ("tag=" + batch) in r.read_text()]
                    first_start, last_end = min(s for s, _ in spans), max(e for _, e in spans)
                    if round_ > 0:  # round 0 warms up
                        figures[name].append(((first_start - t0) / 1e6, (returned - last_end) / 1e6))
        print("%d barriers of %d chunks of %s s on %d slots, load average %s" % (
            options.rounds, options.chunks, options.sleep, 2 * slots, open("/proc/loadavg").read().split()[0]))
        summary("python", figures["python"])
        summary("dp3q CLI", figures["cli"])
        if options.dask:
            summary("dask", figures["dask"])
    finally:
        if dask is not None:
            dask.close()
        for worker in workers:
            worker.stop()
        broker.delete_vhost(vhost)


if __name__ == "__main__":
    main()
