#!/usr/bin/env python3
"""Publish a batch of DP3 time-chunk tasks to dp3q from Python, the way a pipeline step would.

Follows schemas/task.schema.json and the contract: JSON body, content_type application/json, persistent,
message_id = task id, published mandatory to exchange dp3q.tasks with the pool as routing key, with publisher
confirms. Exits 0 only when the broker confirmed every task (3 otherwise, naming what was not accepted).

    DP3Q_BROKER=amqp://dp3q-producer@rabbit.lab:5672/selfcal DP3Q_BROKER_PASSWORD_FILE=~/.dp3q-password \
        python3 publish_batch.py --batch cal-phase --chunks 10 --ntimes 75 \
        --arg msin=/data/obs.ms --arg steps=[solve] --arg solve.h5parm=/work/out_{chunk}.h5parm --wait

Broker: --broker or DP3Q_BROKER (default amqp://guest:guest@localhost:5672/). Several cluster nodes as a host list
(amqp://user@h1:5672,h2:5672/vhost): pika connects to the first that answers. The password may come from
DP3Q_BROKER_PASSWORD or the file in DP3Q_BROKER_PASSWORD_FILE. amqps:// verifies the broker with DP3Q_BROKER_CA_FILE
(else the system CAs) and presents DP3Q_BROKER_CERT_FILE/DP3Q_BROKER_KEY_FILE when set. Needs pika
(Debian: apt-get install python3-pika; else pip install pika).
"""
import argparse
import datetime
import json
import os
import re
import ssl
import subprocess
import sys
import urllib.parse

import pika

TASKS_EXCHANGE = "dp3q.tasks"
BATCH_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
POOL_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def masked(uri):
    """The URI with its password replaced by ****, for messages."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1****@", uri)


def connection_parameters(uri):
    """One pika.URLParameters per node of amqp[s]://user:pw@h1:p1,h2:p2/vhost."""
    scheme, rest = uri.split("://", 1)
    authority, sep, path = rest.partition("/")
    userinfo, _, hosts = authority.rpartition("@")
    user, _, password = userinfo.partition(":")
    password = password or os.environ.get("DP3Q_BROKER_PASSWORD", "")
    if not password and os.environ.get("DP3Q_BROKER_PASSWORD_FILE"):
        with open(os.environ["DP3Q_BROKER_PASSWORD_FILE"], encoding="utf-8") as f:
            password = f.read().strip()
    # a bare "/" means the default vhost, as it does for dp3q itself
    vhost = path.split("?", 1)[0] if sep else ""
    vhost = urllib.parse.quote(urllib.parse.unquote(vhost) or "/", safe="")
    params = []
    for host in hosts.split(","):
        credentials = ""
        if user:
            credentials = user + (":" + urllib.parse.quote(urllib.parse.unquote(password), safe="") if password else "") + "@"
        p = pika.URLParameters(f"{scheme}://{credentials}{host.strip()}/{vhost}")
        p.connection_attempts = 3
        p.retry_delay = 2
        if scheme == "amqps":
            context = ssl.create_default_context(cafile=os.environ.get("DP3Q_BROKER_CA_FILE") or None)
            if os.environ.get("DP3Q_BROKER_CERT_FILE"):
                context.load_cert_chain(os.environ["DP3Q_BROKER_CERT_FILE"], os.environ.get("DP3Q_BROKER_KEY_FILE"))
            p.ssl_options = pika.SSLOptions(context, server_hostname=p.host)
        params.append(p)
    return params


def chunk_tasks(batch, chunks, ntimes, first_slot, args, pool, tool):
    """N DP3 time-chunk tasks: chunk i reads msin.starttimeslot=first+i*ntimes msin.ntimes=ntimes."""
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    for i in range(chunks):
        yield {
            "schema": "dp3q.task/1",
            "id": f"{batch}/{i}",
            "batch": batch,
            "chunk": i,
            "chunks": chunks,
            "pool": pool,
            "tool": tool,
            "args": [a.replace("{chunk}", str(i)) for a in args]
                    + [f"msin.starttimeslot={first_slot + i * ntimes}", f"msin.ntimes={ntimes}"],
            "submitted_at": now,
        }


def publish(uri, tasks):
    """Publishes every task with confirms; returns the ids the broker did not accept."""
    connection = pika.BlockingConnection(connection_parameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()  # from now on basic_publish raises unless the broker confirmed the message
        not_accepted = []
        for task in tasks:
            properties = pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                              message_id=task["id"], headers={"dp3q-batch": task["batch"]})
            try:
                channel.basic_publish(TASKS_EXCHANGE, task["pool"], json.dumps(task).encode("utf-8"),
                                      properties=properties, mandatory=True)
            except (pika.exceptions.UnroutableError, pika.exceptions.NackError):
                not_accepted.append(task["id"])
        return not_accepted
    finally:
        if connection.is_open:
            connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", default=os.environ.get("DP3Q_BROKER", "amqp://guest:guest@localhost:5672/"))
    parser.add_argument("--batch", required=True)
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--ntimes", type=int, required=True)
    parser.add_argument("--first-slot", type=int, default=0)
    parser.add_argument("--arg", action="append", default=[], help="KEY=VALUE for DP3, {chunk} expanded; repeatable")
    parser.add_argument("--pool", default="default")
    parser.add_argument("--tool", default="DP3")
    parser.add_argument("--wait", action="store_true", help="then block on 'dp3q wait --batch B' (the barrier)")
    parser.add_argument("--dp3q", default=os.environ.get("DP3Q", "dp3q"), help="the dp3q command for --wait")
    options = parser.parse_args()
    if not BATCH_PATTERN.match(options.batch) or not POOL_PATTERN.match(options.pool):
        parser.error("batch must match [A-Za-z0-9._:-]{1,128} and pool [A-Za-z0-9._-]{1,64}")
    if options.chunks < 1 or options.ntimes < 1 or options.first_slot < 0:
        parser.error("--chunks and --ntimes must be at least 1, --first-slot at least 0")

    tasks = list(chunk_tasks(options.batch, options.chunks, options.ntimes, options.first_slot, options.arg,
                             options.pool, options.tool))
    try:
        not_accepted = publish(options.broker, tasks)
    except pika.exceptions.AMQPError as e:
        print(f"publish_batch: broker {masked(options.broker)} unreachable or refused: {e!r}", file=sys.stderr)
        return 3
    if not_accepted:
        print(f"publish_batch: not accepted by the broker: {', '.join(not_accepted)}; publish again (ids are stable)",
              file=sys.stderr)
        return 3
    print(f"publish_batch: {len(tasks)} task(s) of batch {options.batch} confirmed by the broker", file=sys.stderr)
    if options.wait:
        return subprocess.run([options.dp3q, "wait", "--batch", options.batch, "--broker", options.broker]).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
