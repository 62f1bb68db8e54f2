"""The PostgreSQL rows of scripts/bench (`--postgres`): a private cluster (scripts/postgres-cluster)
in the bench's work folder, the generated ledger loaded into it, CreditDesk's reads, charges and
console timed on it, 8 desks charging at once next to pgbench's one-row updates on the same
server, in the same run. The cluster is stopped at the end, whatever happens."""
import glob, json, os, re, shutil, statistics, subprocess, threading, time

DESKS = 8                      # concurrent desks, each charging its own workspace
DESK_SECONDS = 10              # how long the desks (and then pgbench) run
STREAM_EVENTS = 300            # events per long-lived desk (import --batch 1)
PGBENCH_ROWS = 10_000          # rows of pgbench's one-row-update table
SUPPORT = ("maria", "alex", "jordan")


def tool(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or ([shutil.which(name)] if shutil.which(name) else [])
    if not found:
        raise SystemExit(f"scripts/bench: {name} not found: install Debian's postgresql (and postgresql-contrib for pgbench)")
    return found[-1]


class Cluster:
    """A private server in `folder`, started with scripts/postgres-cluster; `url(db, role)`."""
    def __init__(self, root, folder, env):
        self.script, self.folder, self.env = os.path.join(root, "scripts", "postgres-cluster"), folder, env
        # The server runs as its own user when we are root: it must reach its folder.
        os.chmod(os.path.dirname(folder), 0o711)
        base = subprocess.run([self.script, "start", folder], check=True, capture_output=True, text=True, env=env).stdout.strip()
        self.socket = base.split("host=")[1]
        self.superuser = base.split("://")[1].split("@")[0]

    def url(self, db, role=None):
        return f"postgresql://{role or self.superuser}@/{db}?host={self.socket}"

    def psql(self, db, sql, stdin=None):
        argv = [tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket, "-U", self.superuser, "-d", db, "-c", sql]
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=self.env)
        if result.returncode != 0:
            raise SystemExit(f"scripts/bench: psql failed: {result.stderr.strip()}")
        return result.stdout

    def stop(self):
        subprocess.run([self.script, "stop", self.folder], capture_output=True, env=self.env)


def people(ledger):
    """Every operator's and member's name in the generated journal: each needs a login role
    before `migrate` (the ledger's `people` trigger refuses a person the server lacks)."""
    names = set(SUPPORT)
    with open(os.path.join(ledger, "journal.jsonl"), encoding="utf-8") as journal:
        for line in journal:
            if '"kind":"member"' in line or '"kind":"operator"' in line:
                record = json.loads(line)
                names.add(record.get("member") or record.get("name"))
    return sorted(names)


def load(cluster, db, ledger, binary, env, work, ids, say):
    """Moves the generated ledger onto the server the way a team would: a login role for each
    of its people, then `creditdesk migrate --to URL` (timed: record for record, every table
    and stored state derived through CreditDesk's own write path), then `import` of one usage
    event per workspace through a support agent's desk (timed)."""
    cluster.psql("postgres", f"CREATE DATABASE {db}")
    roles = people(ledger)
    script = "".join(f'DO $$ BEGIN CREATE ROLE "{name}" LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n'
                     for name in roles)
    subprocess.run([tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", cluster.socket, "-U", cluster.superuser,
                    "-d", "postgres"], input=script, check=True, capture_output=True, text=True, env=env)
    started = time.perf_counter()
    subprocess.run([binary, "migrate", "--ledger", ledger, "--to", cluster.url(db)], check=True, capture_output=True, env=env)
    migrated = time.perf_counter() - started
    events = os.path.join(work, "touch-every-workspace.jsonl")
    with open(events, "w") as out:
        for i, ws in enumerate(ids):
            out.write(json.dumps({"workspace": ws, "action": "print_file", "job": f"pg-load-{i}", "outcome": "succeeded"}) + "\n")
    started = time.perf_counter()
    subprocess.run([binary, "import", events, "--ledger", cluster.url(db, "maria")], check=True, capture_output=True, env=env)
    imported = time.perf_counter() - started
    os.remove(events)
    say(f"PostgreSQL: {len(roles):,} login roles made, migrated in {migrated:.1f} s, "
        f"{len(ids):,} events imported in {imported:.1f} s")
    return len(roles), migrated, imported


def desks(binary, url, workspaces, owners, env, seconds):
    """DESKS processes in a row each, each desk its own workspace, for `seconds`: charges per second."""
    done = [0] * len(workspaces)
    failed = []
    deadline = time.perf_counter() + seconds
    def desk(k):
        i = 0
        while time.perf_counter() < deadline:
            status = subprocess.run([binary, "charge", workspaces[k], "print_file", "--job", f"desk-{k}-{i}", "--as", owners[k],
                                     "--ledger", url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            if status.returncode != 0:
                failed.append(status.stderr.decode().strip()); return
            done[k] += 1; i += 1
    started = time.perf_counter()
    threads = [threading.Thread(target=desk, args=(k,)) for k in range(len(workspaces))]
    for t in threads: t.start()
    for t in threads: t.join()
    if failed:
        raise SystemExit(f"scripts/bench: a desk's charge failed: {failed[0]}")
    return sum(done) / (time.perf_counter() - started)


def stream_desks(binary, url, workspaces, balances, env, work, cost):
    """DESKS long-lived desks at once, each one `import --batch 1` process over its own workspace's
    events: one connection per desk and one durable commit per event, as a service recording
    usage holds it. Each desk spends at most half its workspace's balance. Commits per second."""
    files, total = [], 0
    for k, (ws, balance) in enumerate(zip(workspaces, balances)):
        count = max(1, min(STREAM_EVENTS, balance // (2 * cost)))
        path = os.path.join(work, f"stream-{k}.jsonl")
        with open(path, "w") as out:
            for i in range(count):
                out.write(json.dumps({"workspace": ws, "action": "print_file", "job": f"stream-{k}-{i}", "outcome": "succeeded"}) + "\n")
        files.append(path); total += count
    started = time.perf_counter()
    procs = [subprocess.Popen([binary, "import", path, "--batch", "1", "--json", "--ledger", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for path in files]
    outputs = [p.communicate() for p in procs]
    elapsed = time.perf_counter() - started
    for p, (out, err) in zip(procs, outputs):
        if p.returncode != 0:
            raise SystemExit(f"scripts/bench: a streaming desk's import failed: {err.decode().strip()}")
    for path in files: os.remove(path)
    return total / elapsed, total


def pgbench(cluster, db, env, seconds, work):
    """pgbench's one-row update (`UPDATE … SET n = n + 1 WHERE id = :id` over PGBENCH_ROWS rows),
    DESKS clients, on the same server: transactions per second."""
    cluster.psql(db, f"CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint NOT NULL); "
                     f"INSERT INTO bench_counter SELECT i, 0 FROM generate_series(1, {PGBENCH_ROWS}) i")
    script = os.path.join(work, "one-row-update.sql")
    with open(script, "w") as out:
        out.write(f"\\set id random(1, {PGBENCH_ROWS})\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\n")
    result = subprocess.run([tool("pgbench"), "-n", "-c", str(DESKS), "-j", "2", "-T", str(seconds), "-f", script,
                             "-h", cluster.socket, "-U", cluster.superuser, db], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"scripts/bench: pgbench failed: {result.stderr.strip()}")
    return float(re.search(r"tps = ([0-9.]+)", result.stdout).group(1))


def bench(ctx):
    """The PostgreSQL rows for one size. `ctx` carries the bench's helpers and the generated ledger."""
    label, size, ledger, binary, env, work, ids, one, owner, runs = (ctx[k] for k in (
        "label", "size", "ledger", "binary", "env", "work", "ids", "one", "owner", "runs"))
    add, say, run, timed, ui_timings = ctx["add"], ctx["say"], ctx["run"], ctx["timed_with_memory"], ctx["ui_timings"]
    folder = os.path.join(work, "postgres")
    say(f"{label}: PostgreSQL: starting a private cluster in {folder}")
    cluster = Cluster(ctx["root"], folder, env)
    db = f"bench_{size}"
    try:
        roles, migrated, imported = load(cluster, db, ledger, binary, env, work, ids, say)
        url = cluster.url(db, "maria")
        pg = "creditdesk on PostgreSQL"
        ctx["notes"].append(f"{label}: PostgreSQL: {roles:,} login roles made for the ledger's people, then "
                            f"`creditdesk migrate --to URL` of the file ledger")
        add(label, size, f"migrate {size:,} records into PostgreSQL (migrate --to URL)", None, pg, 1000.0 * migrated, None)
        add(label, size, f"import {len(ids):,} events, one per workspace, into PostgreSQL", None, pg, 1000.0 * imported, None)
        def median(argv_for, count=runs, ok=(0,)):
            return statistics.median(run(argv_for(i), ok) for i in range(count)), timed(argv_for(10_000_000), ok)[1]
        say(f"{label}: PostgreSQL: timing reads and charges")
        add(label, size, "opening (an unknown workspace's balance, refused)", "opening", pg,
            *median(lambda i: [binary, "balance", "no-such-workspace", "--ledger", url], ok=(1,)))
        add(label, size, "durable charge (new job)", "charge", pg,
            *median(lambda i: [binary, "charge", one, "ai_graphic", "--job", f"pg-bench-{i}", "--as", owner, "--ledger", url]))
        add(label, size, "balance of one workspace", "balance", pg, *median(lambda i: [binary, "balance", one, "--json", "--ledger", url]))
        add(label, size, f"history page ({ctx['history_rows']} rows)", "history page", pg,
            *median(lambda i: [binary, "history", one, "--limit", str(ctx["history_rows"]), "--ledger", url]))
        add(label, size, "all balances", "all balances", pg,
            *median(lambda i: [binary, "workspace", "list", "--json", "--ledger", url], max(3, runs // 4)))
        ctx["once"](label, size, "verify (whole chain)", "verify", pg, [binary, "verify", "--ledger", url])
        say(f"{label}: PostgreSQL: timing the console")
        argv = [binary, "--ledger", url, "--as", "maria", "--no-mouse"]
        console = ui_timings(argv, "(1/", lambda screen: "(2/" in screen)
        firsts = [console[0]] + [ui_timings(argv, "(1/", None)[0] for _ in range(ctx["console_starts"] - 1)]
        add(label, size, "console: first full frame", "first frame", pg, statistics.median(firsts), console[2])
        add(label, size, "console: key press to redrawn frame", None, pg, console[1], None)
        say(f"{label}: PostgreSQL: {DESKS} desks charging for {DESK_SECONDS} s, then pgbench for as long")
        rich = sorted(ctx["listed"], key=lambda w: -w["balance"])[:DESKS]
        owners = [json.loads(subprocess.run([binary, "balance", w["workspace"], "--json", "--ledger", url], check=True,
                                            capture_output=True, env=env).stdout)["owner"] for w in rich]
        rate = desks(binary, url, [w["workspace"] for w in rich], owners, env, DESK_SECONDS)
        balances = [json.loads(subprocess.run([binary, "balance", w["workspace"], "--json", "--ledger", url], check=True,
                                              capture_output=True, env=env).stdout)["balance"] for w in rich]
        stream_rate, streamed = stream_desks(binary, url, [w["workspace"] for w in rich], balances, env, work,
                                             ctx["catalog_cost"]("print_file"))
        tps = pgbench(cluster, db, env, DESK_SECONDS, work)
        ctx["notes"].append(f"{label}: {DESKS} desks charging distinct workspaces (each charge a new process): "
                            f"{rate:.0f} charges/s; pgbench one-row update, {DESKS} clients, same server: {tps:.0f} TPS "
                            f"({100 * rate / tps:.0f}% of pgbench)")
        # As milliseconds per commit across all desks (1000 / rate), so the table reads like the rest.
        work_name = f"{DESKS} desks at once: ms per commit (1000 / commits per second)"
        add(label, size, work_name, None, pg, 1000.0 / rate, None)
        add(label, size, work_name, None, "pgbench one-row update, same server", 1000.0 / tps, None)
        ctx["notes"].append(f"{label}: {DESKS} long-lived desks (one `import --batch 1` process each, one durable commit per "
                            f"event, {streamed:,} events in all): {stream_rate:.0f} commits/s ({100 * stream_rate / tps:.0f}% of pgbench)")
        stream_name = f"{DESKS} long-lived desks at once (import --batch 1): ms per commit"
        add(label, size, stream_name, None, pg, 1000.0 / stream_rate, None)
        add(label, size, stream_name, None, "pgbench one-row update, same server", 1000.0 / tps, None)
    finally:
        cluster.stop()
