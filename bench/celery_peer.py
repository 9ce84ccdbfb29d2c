#!/usr/bin/env python3
"""The many-small-jobs peer: Celery on the same RabbitMQ, the same few-row job as a chain of
four tasks (ingest -> validate -> transform -> publish: parse the CSV, check the grades, add a
column, write the CSV), workers with the machine's two cores. Run by bench/small_jobs.sh:

    celery_peer.py worker                       # the workers (a separate process)
    celery_peer.py run --jobs 2000 --repeat 200 [--confirms]

`run` submits --jobs chains at once and waits for all their results (jobs/s), then one chain
at a time --repeat times (latency p50/p99), and prints one JSON line like sluice-bench's.
Broker: vhost `bench` on the local RabbitMQ; results over `rpc://`.
"""
import argparse, csv, io, json, os, sys, tempfile, time
from celery import Celery, chain

BROKER = os.environ.get("BENCH_BROKER", "amqp://sluice:sluice@127.0.0.1:5673/bench")
CONFIRMS = os.environ.get("BENCH_CONFIRMS") == "1"
app = Celery("sluice_bench_peer", broker=BROKER, backend="rpc://")
app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"],
                worker_prefetch_multiplier=4, task_acks_late=True, broker_connection_retry_on_startup=True,
                worker_hijack_root_logger=False)
if CONFIRMS:
    app.conf.broker_transport_options = {"confirm_publish": True}
OUT = os.path.join(tempfile.gettempdir(), "sluice-celery-peer")


@app.task
def ingest(text):
    return list(csv.reader(io.StringIO(text)))


@app.task
def validate(rows):
    header, body = rows[0], rows[1:]
    return [header] + [r for r in body if len(r) == len(header) and r[1].isdigit()]


@app.task
def transform(rows):
    return [rows[0] + ["passed"]] + [r + ["yes" if int(r[1]) >= 5 else "no"] for r in rows[1:]]


@app.task
def publish(rows, job):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, job + ".csv"), "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return job


TEXT = "student,grade\nann,7\nbob,9\ncy,5\n"


def job(name):
    return chain(ingest.s(TEXT), validate.s(), transform.s(), publish.s(name))


def run(jobs, repeat):
    job("warm").apply_async().get(timeout=60)
    started = time.monotonic()
    results = [job(f"small-{i}").apply_async() for i in range(jobs)]
    published = time.monotonic()
    for r in results:
        r.get(timeout=600)
    elapsed = time.monotonic() - started
    latencies = []
    for i in range(repeat):
        t = time.monotonic()
        job(f"one-{i}").apply_async().get(timeout=60)
        latencies.append((time.monotonic() - t) * 1000)
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, round((len(latencies) - 1) * p))] if latencies else 0
    print(json.dumps({"jobs": jobs, "seconds": elapsed, "jobsPerSecond": jobs / elapsed, "publishSeconds": published - started,
                      "confirms": CONFIRMS, "single": {"count": len(latencies), "p50": pick(0.5), "p99": pick(0.99),
                                                       "min": latencies[0] if latencies else 0,
                                                       "max": latencies[-1] if latencies else 0}}, sort_keys=True))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["worker", "run"])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=200)
    a = parser.parse_args()
    if a.mode == "worker":
        app.worker_main(["worker", "--concurrency", str(os.cpu_count() or 2), "--loglevel", "warning", "--without-gossip",
                         "--without-mingle", "--without-heartbeat"])
    else:
        run(a.jobs, a.repeat)
