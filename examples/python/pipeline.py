#!/usr/bin/env python3
"""A three-step self-calibration pipeline on the dp3q package: predict, solve, apply, one DP3 run per time chunk
in each step, with a barrier (client.wait) between steps: a step starts only when every chunk of the one before
succeeded. It is the shape of a Dask pipeline that called client.submit(run_dp3, ..., resources={"subprocess_slots":
1}) per chunk and client.gather(futures) per step.

    python3 examples/python/pipeline.py --ms /data/obs.ms --chunks 10 --ntimes 75 --out /work/selfcal

The broker comes from --broker, else $DP3Q_BROKER. Put clients/python on PYTHONPATH or pip install ./clients/python.
Extra DP3 arguments for every run: --arg KEY=VALUE (repeatable; the tests use them to drive the DP3 stand-in).
"""
import argparse
import sys
import uuid

import dp3q


def steps(ms, out):
    """Each step's DP3 arguments; {chunk} becomes the chunk number."""
    return [
        ("predict", ["msin=" + ms, "steps=[predict]", "predict.sourcedb=" + out + "/sky.skymodel",
                     "msout=" + out + "/model_{chunk}.ms"]),
        ("solve", ["msin=" + out + "/model_{chunk}.ms", "steps=[solve]", "solve.type=ddecal", "solve.mode=scalarphase",
                   "solve.h5parm=" + out + "/phase_{chunk}.h5parm", "msout="]),
        ("apply", ["msin=" + ms, "steps=[applycal]", "applycal.parmdb=" + out + "/phase_{chunk}.h5parm",
                   "msout=" + out + "/corrected_{chunk}.ms"]),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ms", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chunks", type=int, default=10)
    parser.add_argument("--ntimes", type=int, default=75)
    parser.add_argument("--broker")
    parser.add_argument("--run", default=uuid.uuid4().hex[:8], help="names this run's batches (selfcal-RUN-STEP)")
    parser.add_argument("--arg", action="append", default=[], help="an extra DP3 argument for every run")
    options = parser.parse_args(argv)
    with dp3q.Client(options.broker) as client:
        for step, args in steps(options.ms, options.out):
            batch = "selfcal-%s-%s" % (options.run, step)
            client.submit_chunks(batch, options.chunks, options.ntimes, args + options.arg)
            try:
                result = client.wait(batch, progress=lambda p, s=step: print(
                    "%s: %d/%s done" % (s, p.terminal(), p.total), flush=True))
            except dp3q.BatchFailed as failure:
                print(failure, file=sys.stderr)
                return 1
            slowest = max(result.chunks, key=lambda c: c.duration_ms or 0)
            print("%s: all %d chunks succeeded (slowest: chunk %d, %d ms)" % (step, result.total, slowest.chunk,
                                                                              slowest.duration_ms or 0), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
