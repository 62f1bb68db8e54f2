#!/usr/bin/env python3
"""Where a charge's time goes on PostgreSQL, comparing builds side by side on one loaded ledger
(docs/POSTGRESQL.md, "Performance").

  scripts/bench_postgres_desks.py URL LIST.json NAME=BINARY[,NAME=BINARY...] one RUNS
      RUNS charges one at a time, interleaved across the binaries: median and fastest wall ms.
  scripts/bench_postgres_desks.py URL LIST.json NAME=BINARY[,...] desks SECONDS
      8 desks (threads, each running one `charge` process after another on its own workspace)
      for SECONDS per binary: charges per second, and a sampler in the server (as the URL's
      superuser SUPERUSER_URL, env) reading pg_locks every 2 ms: how often a writer holds the
      chain head row and how often one waits for it.

  scripts/bench_postgres_desks.py URL LIST.json NAME=BINARY[,...] streams ROUNDS
      8 long-lived desks at once (one `import --batch 1` process each, STREAM_EVENTS usage
      events on its own workspace, one durable commit per event), ROUNDS rounds interleaved
      across the binaries: commits per second per round and their median.

A binary given as NAME=BINARY=URL runs against its own URL (a copy of the ledger migrated by
that build, so neither build reads the other's stored states) instead of the first argument's.

URL is a support agent's (e.g. postgresql://maria@/db?host=/socket); LIST.json is `workspace list
--json` of the ledger (the richest workspaces are charged, as their owners).."""
import json, os, statistics, subprocess, sys, threading, time

DESKS = 8
SAMPLER = """
DO $$ DECLARE busy int := 0; total int := 0; waiting int := 0; h int; w int;
  stop timestamptz := clock_timestamp() + interval '{seconds} seconds';
BEGIN
  WHILE clock_timestamp() < stop LOOP
    SELECT count(DISTINCT pid) INTO h FROM pg_locks WHERE relation = 'creditdesk.head'::regclass AND granted
      AND mode IN ('RowShareLock', 'RowExclusiveLock');
    SELECT count(DISTINCT pid) INTO w FROM pg_locks WHERE NOT granted AND locktype IN ('tuple', 'transactionid');
    total := total + 1;
    IF h - w > 0 THEN busy := busy + 1; END IF;
    IF w > 0 THEN waiting := waiting + 1; END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
  RAISE NOTICE 'head row held in % of % samples (% pct), a writer waiting for it in % (% pct)',
    busy, total, round(100.0 * busy / total), waiting, round(100.0 * waiting / total);
END $$;
"""


def charge(binary, url, workspace, job):
    started = time.perf_counter()
    result = subprocess.run([binary, "charge", workspace["workspace"], "print_file", "--job", job, "--as", workspace["owner"],
                             "--ledger", url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode != 0:
        raise SystemExit(f"charge failed: {result.stderr.decode().strip()}")
    return (time.perf_counter() - started) * 1000


def one(url, rich, binaries, runs):
    times = {name: [] for name, _, _ in binaries}
    for i in range(runs):
        for name, binary, own in binaries:
            times[name].append(charge(binary, own, rich[0], f"one-{name}-{time.time_ns()}"))
    for name, _, _ in binaries:
        print(f"{name}: one charge, median {statistics.median(times[name]):.1f} ms, fastest {min(times[name]):.1f} ms ({runs} runs)")


def desks(url, rich, binaries, seconds):
    superuser = os.environ.get("SUPERUSER_URL")
    for name, binary, url in binaries:
        sampler = None
        if superuser:
            sampler = subprocess.Popen(["psql", "-X", "-q", "-d", superuser, "-c", SAMPLER.replace("{seconds}", str(seconds - 1))],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        done = [0] * DESKS
        stop = time.perf_counter() + seconds
        def desk(k):
            while time.perf_counter() < stop:
                charge(binary, url, rich[k + 1], f"desk-{name}-{k}-{time.time_ns()}")
                done[k] += 1
        started = time.perf_counter()
        threads = [threading.Thread(target=desk, args=(k,)) for k in range(DESKS)]
        for t in threads: t.start()
        for t in threads: t.join()
        rate = sum(done) / (time.perf_counter() - started)
        note = sampler.communicate()[0].strip().split("NOTICE:")[-1].strip() if sampler else "(no SUPERUSER_URL: no sampler)"
        print(f"{name}: {DESKS} desks, {rate:.1f} charges/s; {note}")


STREAM_EVENTS = 150


def stream_round(url, rich, name, binary, round_number, folder):
    """One round of DESKS long-lived desks, each streaming STREAM_EVENTS print-file events into
    its own workspace with `import --batch 1`: commits per second over the round."""
    files = []
    for k in range(DESKS):
        path = os.path.join(folder, f"stream-{name}-{round_number}-{k}.jsonl")
        with open(path, "w") as out:
            for i in range(STREAM_EVENTS):
                job = f"stream-{name}-{round_number}-{k}-{i}-{time.time_ns()}"
                out.write(json.dumps({"workspace": rich[k + 1]["workspace"], "action": "print_file", "job": job,
                                      "outcome": "succeeded"}) + "\n")
        files.append(path)
    started = time.perf_counter()
    procs = [subprocess.Popen([binary, "import", path, "--batch", "1", "--json", "--ledger", url],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for path in files]
    errors = [p.communicate()[1] for p in procs]
    elapsed = time.perf_counter() - started
    for p, err in zip(procs, errors):
        if p.returncode != 0:
            raise SystemExit(f"a streaming desk failed: {err.decode().strip()}")
    for path in files: os.remove(path)
    return DESKS * STREAM_EVENTS / elapsed


def streams(url, rich, binaries, rounds):
    import tempfile
    rates = {name: [] for name, _, _ in binaries}
    with tempfile.TemporaryDirectory() as folder:
        for r in range(rounds):
            for name, binary, own in binaries:
                rates[name].append(stream_round(own, rich, name, binary, r, folder))
    for name, _, _ in binaries:
        listed = ", ".join(f"{rate:.0f}" for rate in rates[name])
        print(f"{name}: {DESKS} long-lived desks, median {statistics.median(rates[name]):.0f} commits/s (rounds: {listed})")


def main():
    url, listing, named, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    binaries = []
    for item in named.split(","):
        name, binary, *own = item.split("=", 2)
        binaries.append((name, binary, own[0] if own else url))
    rich = sorted(json.load(open(listing)), key=lambda w: -w["balance"])[:DESKS + 1]
    {"one": one, "desks": desks, "streams": streams}[mode](url, rich, binaries, count)


if __name__ == "__main__":
    main()
