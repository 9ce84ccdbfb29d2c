#!/usr/bin/env python3
"""Side-by-side benchmark: a csv.reader floor, the pandas peer (bench/pandas_job.py) and Sluice
end to end on the same generated file, in one run. Called by bench/run.sh; see docs/benchmarks.md.

For each run (median of --runs, state reset between runs: services stopped, chunk store
emptied, service tables truncated, RabbitMQ and PostgreSQL restarted so their peak memory is
this run's) it measures wall time, CPU seconds and peak RSS of every process (each service,
RabbitMQ, PostgreSQL) from /proc, and each stage's own span from the timestamps of the objects
the stage wrote. The compare job's CSV must equal the pandas script's byte for byte.
"""
import argparse, base64, csv, json, os, shutil, statistics, subprocess, sys, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS = range(8080, 8089)
SERVICES = ["ingest", "validate", "transform", "publish", "notify", "metrics", "scheduler", "incident", "gateway"]
TICK = os.sysconf("SC_CLK_TCK")
JOBS = {
    "compare": ["--schema", "bench/schema.json", "--plan", "bench/plan.yaml", "--outputs", "csv,summary"],
    # The compare job while three calculated metrics select it: publish builds their partial
    # aggregates (exact sums, a HyperLogLog and a DDSketch per course) in the same pass.
    "metrics": ["--schema", "bench/schema.json", "--plan", "bench/plan.yaml", "--outputs", "csv,summary"],
    "everything": ["--schema", "bench/schema.json", "--plan", "bench/plan.yaml", "--aggregates", "bench/aggregates.json",
                   "--outputs", "csv,jsonl,xlsx,summary,validation,report,results"],
}


def floor(path):
    """A bare csv.reader pass: what reading the file costs in Python at all."""
    started = time.monotonic()
    rows = 0
    with open(path, newline="") as f:
        for _ in csv.reader(f):
            rows += 1
    return time.monotonic() - started


def pandas(path, out):
    started = time.monotonic()
    subprocess.run([sys.executable, "bench/pandas_job.py", path, "--out", out], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


class Sampler(threading.Thread):
    """Samples CPU ticks and peak RSS of the services, RabbitMQ and PostgreSQL every 100 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.first, self.last, self.peak, self.names = {}, {}, {}, {}
        self.stop = threading.Event()
        self.scan()

    @staticmethod
    def classify(args):
        if len(args) >= 3 and args[0].endswith("sluice") and args[1] == "serve":
            return args[2]
        if args and "beam.smp" in args[0]:
            return "rabbitmq"
        if args and (args[0].startswith("postgres") or args[0].endswith("/postgres")):
            return "postgres"
        return None

    def scan(self):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
                name = self.classify([a.decode(errors="replace") for a in args if a])
                if name is None:
                    continue
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                ticks = int(fields[11]) + int(fields[12])
                hwm = next((int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM:")), 0)
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            self.names[pid] = name
            self.first.setdefault(pid, ticks if not hasattr(self, "started") else 0)
            self.last[pid] = ticks
            self.peak[pid] = max(self.peak.get(pid, 0), hwm)

    def run(self):
        self.started = True
        while not self.stop.wait(0.1):
            self.scan()

    def totals(self):
        cpu, rss = {}, {}
        for pid, name in self.names.items():
            cpu[name] = cpu.get(name, 0) + (self.last[pid] - self.first[pid]) / TICK
            rss[name] = max(rss.get(name, 0), self.peak[pid] // 1024)
        return cpu, rss


def sh(*args, **kw):
    return subprocess.run(list(args), cwd=ROOT, check=True, **kw)


def reset():
    """A clean slate for one run, keeping the servers' data directories."""
    shutil.rmtree(os.path.join(ROOT, "var/objects"), ignore_errors=True)
    sql = ("DO $$ DECLARE t record; BEGIN FOR t IN SELECT schemaname, tablename FROM pg_tables "
           "WHERE schemaname = ANY(ARRAY[%s]) AND tablename <> 'schema_migrations' LOOP "
           "EXECUTE format('TRUNCATE %%I.%%I CASCADE', t.schemaname, t.tablename); END LOOP; END $$;"
           % ",".join(f"'{s}'" for s in SERVICES))
    sh("psql", "-q", "-h", "127.0.0.1", "-p", "5433", "-U", "sluice", "-d", "sluice", "-c", sql,
       env={**os.environ, "PGPASSWORD": "sluice", "PGOPTIONS": "--client-min-messages=warning"}, stdout=subprocess.DEVNULL)
    # Test queues left on the broker cost it CPU the services need (infra/local/sweep-test-topology.sh).
    sh("infra/local/sweep-test-topology.sh", stdout=subprocess.DEVNULL)
    sh("infra/local/restart-broker.sh", stdout=subprocess.DEVNULL)
    sh("infra/local/restart-postgres.sh", stdout=subprocess.DEVNULL)


def start_services(binary, settings=()):
    log = open(os.path.join(ROOT, "var/logs/bench-dev.log"), "a")
    extra = [arg for setting in settings for arg in ("--set", setting)]
    dev = subprocess.Popen([binary, "dev", "--log-level", "warning"] + extra, cwd=ROOT, stdout=log, stderr=log)
    for port in PORTS:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
    return dev


def demo_admin_password():
    """The demo's admin password (var/demo-admin.password, made as infra/demo.sh makes it), so
    that after a bench, whose truncation removed every user, the demo signs in again."""
    path = os.path.join(ROOT, "var/demo-admin.password")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write("demo-" + base64.b64encode(os.urandom(18)).decode().translate(str.maketrans("", "", "/+=")) + "\n")
    with open(path) as source:
        return source.readline().rstrip("\n")


def sign_in(binary):
    """The tables were truncated: make the first admin again (the demo's, demo-admin) and sign
    in (a session token the CLI gets through SLUICE_TOKEN)."""
    password = demo_admin_password()
    subprocess.run([binary, "users", "bootstrap", "demo-admin", "--email", "demo-admin@sluice.localhost", "--password-stdin"],
                   input=password + "\n", text=True, cwd=ROOT, capture_output=True)
    request = urllib.request.Request("http://127.0.0.1:8080/api/v1/auth/sign-in", method="POST",
                                     data=json.dumps({"user": "demo-admin", "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    return {**os.environ, "SLUICE_URL": "http://127.0.0.1:8080", "SLUICE_TOKEN": token}


def stage_spans(job_id, submitted, finished):
    """Each stage's span from its own output objects' modification times."""
    base = os.path.join(ROOT, "var/objects/jobs", job_id)
    def times(stage):
        directory = os.path.join(base, stage)
        names = os.listdir(directory) if os.path.isdir(directory) else []
        return sorted(os.path.getmtime(os.path.join(directory, n)) for n in names)
    ingested, validated, transformed = times("ingested"), times("validated"), times("transformed")
    spans = {}
    if ingested:
        spans["ingest"] = ingested[-1] - submitted
    if ingested and validated:
        spans["validate"] = validated[-1] - ingested[0]
    if validated and transformed:
        spans["transform"] = transformed[-1] - validated[0]
    if transformed:
        spans["publish"] = finished - transformed[0]
    return spans


def iso(text):
    from datetime import datetime
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def sluice(binary, path, kind, out, settings=()):
    reset()
    dev = start_services(binary, settings)
    sampler = Sampler()
    sampler.start()
    job_id = f"bench-{kind}-{int(time.time() * 1000)}"
    environment = sign_in(binary)
    if kind == "metrics":
        for name in sorted(os.listdir(os.path.join(ROOT, "bench/metrics"))):
            sh(binary, "metrics", "define", os.path.join("bench/metrics", name), env=environment, stdout=subprocess.DEVNULL)
        # Publish reads the definitions every 10 s (metrics.definitions refresh): let it see them.
        time.sleep(11)
    started = time.monotonic()
    # --server-path: ingest reads the file where it lies, as pandas does (no upload in the time).
    result = subprocess.run([binary, "submit", "--server-path", os.path.abspath(path), "--job-id", job_id, "--wait",
                             "--timeout", "3600", "--json"] + JOBS[kind], cwd=ROOT, capture_output=True, text=True,
                            env=environment)
    wall = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    if result.returncode != 0:
        dev.terminate()
        raise SystemExit(f"sluice job failed: {result.stdout[-2000:]} {result.stderr[-2000:]}")
    progress = json.load(urllib.request.urlopen(f"http://127.0.0.1:8086/jobs/{job_id}"))
    spans = stage_spans(job_id, iso(progress["submittedAt"]), iso(progress["finishedAt"]))
    os.makedirs(out, exist_ok=True)
    urllib.request.urlretrieve(f"http://127.0.0.1:8084/jobs/{job_id}/artifacts/output.csv", os.path.join(out, "output.csv"))
    partials = None
    if kind == "metrics":
        # The partials reached the metrics service: one row per metric and job.
        query = "SELECT count(*) FROM metrics.metric_partials WHERE job_id = '%s'" % job_id
        partials = subprocess.run(["psql", "-At", "-h", "127.0.0.1", "-p", "5433", "-U", "sluice", "-d", "sluice", "-c", query],
                                  env={**os.environ, "PGPASSWORD": "sluice"}, capture_output=True, text=True).stdout.strip()
    dev.terminate()
    dev.wait(timeout=60)
    cpu, rss = sampler.totals()
    return {"wall": wall, "spans": spans, "cpu": cpu, "rss": rss, "rows": progress.get("rowsTotal", 0), "partials": partials}


def small_jobs(binary, runs):
    """Latency of small jobs: the 12-row example and a 10,000-row compare job, submission to
    publication by the stages' own timestamps (the job.submit and job.published events)."""
    reset()
    dev = start_services(binary)
    environment = sign_in(binary)
    ten = os.path.join(ROOT, "var/bench/input-10000.csv")
    if not os.path.exists(ten):
        sh(binary.replace("/sluice", "/sluice-bench"), "generate", "--rows", "10000", "--out", ten)
    jobs = {"12-row example": ["examples/gradebook/gradebook.csv", "--schema", "examples/gradebook/schema.json"],
            "10,000-row compare": [ten] + JOBS["compare"]}
    results = {}
    try:
        for name, args in jobs.items():
            times = []
            for n in range(runs):
                job_id = f"bench-small-{int(time.time() * 1e6)}"
                subprocess.run([binary, "submit", "--server-path", os.path.abspath(os.path.join(ROOT, args[0])),
                                "--job-id", job_id, "--wait"] + args[1:], cwd=ROOT, check=True, env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                p = json.load(urllib.request.urlopen(f"http://127.0.0.1:8086/jobs/{job_id}"))
                times.append(iso(p["finishedAt"]) - iso(p["submittedAt"]))
            results[name] = statistics.median(times)
    finally:
        dev.terminate()
        dev.wait(timeout=60)
    print(f"\n== small jobs, median of {runs} (submission to publication) ==")
    for name, seconds in results.items():
        print(f"  {name:<20} {seconds * 1000:7.0f} ms")


def many_small_jobs(binary, jobs, repeat):
    """Many small jobs: Sluice (sluice-bench small-jobs against `sluice dev`) and the peer,
    Celery on the same RabbitMQ (bench/celery_peer.py), without and with publisher confirms.
    Each system has the machine alone while it runs."""
    reset()
    dev = start_services(binary)
    try:
        out = subprocess.run([binary.replace("/sluice", "/sluice-bench"), "small-jobs", "--jobs", str(jobs),
                              "--repeat", str(repeat)], cwd=ROOT, check=True, capture_output=True, text=True).stdout
        results = {"sluice": json.loads(out.strip().splitlines()[-1])}
    finally:
        dev.terminate()
        dev.wait(timeout=60)
    for confirms in (False, True):
        env = {**os.environ, "BENCH_CONFIRMS": "1" if confirms else "0"}
        sh("bash", "-c", ". infra/local/env.sh && rmqctl purge_queue -p bench celery >/dev/null 2>&1 || true")
        log = open(os.path.join(ROOT, "var/logs/bench-celery.log"), "a")
        worker = subprocess.Popen([sys.executable, "bench/celery_peer.py", "worker"], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            time.sleep(3)
            out = subprocess.run([sys.executable, "bench/celery_peer.py", "run", "--jobs", str(jobs), "--repeat", str(repeat)],
                                 cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
            results["celery" + (" (confirms)" if confirms else "")] = json.loads(out.strip().splitlines()[-1])
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    print(f"\n== many small jobs: {jobs} submitted at once, then one alone {repeat} times ==")
    print(f"  {'system':<20} {'jobs/s':>8} {'batch s':>8} {'one p50 ms':>11} {'one p99 ms':>11}")
    for name, r in results.items():
        print(f"  {name:<20} {r['jobsPerSecond']:8.0f} {r['seconds']:8.1f} {r['single']['p50']:11.1f} {r['single']['p99']:11.1f}")
    print(json.dumps(results, sort_keys=True))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="compare,everything")
    parser.add_argument("--sluice", default=".build/release/sluice")
    parser.add_argument("--input")
    parser.add_argument("--set", action="append", default=[], help="a setting for every service, KEY=VALUE")
    parser.add_argument("--small-jobs", type=int, help="only the many-small-jobs comparison, with this many jobs")
    parser.add_argument("--repeat", type=int, default=200, help="single jobs timed in the many-small-jobs comparison")
    a = parser.parse_args()
    binary = os.path.join(ROOT, a.sluice)
    if a.small_jobs:
        return many_small_jobs(binary, a.small_jobs, a.repeat)
    if not a.input:
        parser.error("--input is required (or --small-jobs)")
    size = os.path.getsize(a.input)
    print(f"input: {a.input} ({a.rows:,} rows, {size / 1e6:.0f} MB); {a.runs} runs each, medians")
    for kind in a.jobs.split(","):
        runs = []
        for n in range(a.runs):
            out = os.path.join(ROOT, "var/bench/out", kind, str(n))
            shutil.rmtree(out, ignore_errors=True)
            run = {"floor": floor(a.input)}
            if kind in ("compare", "metrics"):
                run["pandas"] = pandas(a.input, os.path.join(out, "pandas"))
            run["sluice"] = sluice(binary, a.input, kind, os.path.join(out, "sluice"), a.set)
            if kind in ("compare", "metrics"):
                same = open(os.path.join(out, "pandas/output.csv"), "rb").read() == \
                    open(os.path.join(out, "sluice/output.csv"), "rb").read()
                run["same"] = same
            runs.append(run)
            print(f"  {kind} run {n + 1}: sluice {run['sluice']['wall']:.1f} s"
                  + (f", pandas {run['pandas']:.1f} s, outputs {'equal' if run['same'] else 'DIFFER'}"
                     if kind in ("compare", "metrics") else "") + f", floor {run['floor']:.1f} s"
                  + (f", partials stored: {run['sluice']['partials']}" if kind == "metrics" else ""), flush=True)
        report(kind, runs, a.rows)
    small_jobs(binary, a.runs)


def report(kind, runs, rows):
    med = lambda values: statistics.median(values) if values else float("nan")
    wall = med([r["sluice"]["wall"] for r in runs])
    print(f"\n== {kind} ({rows:,} rows), median of {len(runs)} ==")
    print(f"  csv.reader floor   {med([r['floor'] for r in runs]):7.1f} s")
    if kind in ("compare", "metrics"):
        pd = med([r["pandas"] for r in runs])
        print(f"  pandas script      {pd:7.1f} s")
        print(f"  sluice end to end  {wall:7.1f} s   ratio to pandas {wall / pd:.2f}"
              f"   outputs equal in {sum(r['same'] for r in runs)}/{len(runs)} runs")
    else:
        print(f"  sluice end to end  {wall:7.1f} s")
    print(f"  {rows / wall:,.0f} rows/s end to end")
    print("  stage spans (from the objects each stage wrote):")
    for stage in ["ingest", "validate", "transform", "publish"]:
        values = [r["sluice"]["spans"][stage] for r in runs if stage in r["sluice"]["spans"]]
        if values:
            print(f"    {stage:<10} {med(values):6.1f} s  {rows / med(values):>10,.0f} rows/s")
    names = sorted({n for r in runs for n in r["sluice"]["cpu"]})
    print("  process      CPU s   peak RSS MiB")
    for name in names:
        cpu = med([r["sluice"]["cpu"].get(name, 0) for r in runs])
        rss = med([r["sluice"]["rss"].get(name, 0) for r in runs])
        print(f"    {name:<10} {cpu:6.1f}   {rss:6.0f}")


if __name__ == "__main__":
    main()
