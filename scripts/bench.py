"""The measuring half of scripts/bench (run that, not this): times CreditDesk, SQLite and the
plain-text ledger tools on the same generated ledgers, prints the markdown table and writes
bench-table.md, bench-results.tsv and bench-curve.png (with bench-curve.gp, which redraws it)."""
import argparse, csv, hashlib, json, math, os, random, shutil, statistics, subprocess, sys, time

NOW = "2026-11-22T00:00:00Z"
PAST = "2026-05-22T00:00:00Z"          # `balance --at`: half a year before NOW, inside every generated history
RECORDS_PER_WORKSPACE = 100          # one workspace per 100 records: 100,000 at 10,000,000
HISTORY_PAGE_ROWS = 50
CONSOLE_STARTS = 5                   # the first frame is the median of this many starts
UI_TIMEOUT_S = 300

# What the curve draws: each work item's colour, and how each tool's line is dashed.
CURVE_COLOURS = {"opening": "#1f77b4", "charge": "#d62728", "balance": "#2ca02c", "balance at": "#bcbd22", "history page": "#9467bd",
                 "first frame": "#8c564b", "all balances": "#ff7f0e", "verify": "#17becf", "import": "#e377c2",
                 "import raw rows": "#7f7f7f"}
CURVE_DASHES = {"creditdesk": 1, "sqlite3": 2}  # and any binary compared with the reference: 4
CURVE_TITLES = {("verify", "sqlite3"): "verify floor · SHA-256 chain",
                ("import", "sqlite3"): "import · sqlite3, guarded",
                ("import raw rows", "sqlite3"): "import · sqlite3 .import raw"}

# Chained SHA-256 over the journal alone (docs/LEDGER-FORMAT.md): each line's hash is the
# SHA-256 of the line less its last 75 bytes, and its `prev` is the line before's hash.
SHA_CHAIN_FLOOR = r"""
import hashlib, sys
prev, count = b"0" * 64, 0
with open(sys.argv[1], "rb") as journal:
    for line in journal:
        digest = hashlib.sha256(line[:-76]).hexdigest().encode()
        if line[-141:-77] != prev or line[-67:-3] != digest:
            sys.exit(f"chain broken at line {count + 1}")
        prev, count = digest, count + 1
print(count, prev.decode())
"""

parser = argparse.ArgumentParser(description="Run scripts/bench, not this; `bench.py --replot DIR` redraws "
                                             "DIR/bench-curve.png from DIR/bench-results.tsv.")
parser.add_argument("--replot", metavar="DIR")
parser.add_argument("--bin", action="append", default=[], help="[NAME=]PATH, repeatable")
parser.add_argument("--work")
parser.add_argument("--out")
parser.add_argument("--runs", type=int)
parser.add_argument("--peers-max", type=int)
parser.add_argument("--postgres", action="store_true", help="also time CreditDesk on a private PostgreSQL cluster")
parser.add_argument("--postgres-only", action="store_true", help="time only the PostgreSQL rows (and generate)")
parser.add_argument("--postgres-max", type=int, default=1_000_000, help="PostgreSQL rows only up to this many records")
parser.add_argument("--root")
parser.add_argument("sizes", type=int, nargs="*")
options = parser.parse_args()
work, runs = options.work, options.runs
env = dict(os.environ, CREDITDESK_NOW=NOW, CREDITDESK_OPERATOR="maria", LANG="C.UTF-8")
rows, notes = [], []


BEGAN = time.perf_counter()


class Binary:
    """One creditdesk binary under test: its name in the table (`creditdesk` alone, or
    `creditdesk (NAME)` when several are compared), its path, and its ledger at the current size."""
    def __init__(self, named, several):
        name, _, path = named.partition("=") if "=" in named else ("", "", named)
        self.name, self.path, self.ledger = name, path, None
        self.tool = f"creditdesk ({name})" if several or name else "creditdesk"


binaries = [Binary(named, len(options.bin) > 1) for named in options.bin]
# The last binary named is the reference: the peers are compared with it, the curve draws it
# solid, set-up work (the SQLite database, the hledger export) reads its ledger.
primary = binaries[-1] if binaries else None
binary = primary.path if primary else None


def is_ours(tool):
    return tool == "creditdesk" or tool.startswith("creditdesk (")


def interleaved(i):
    """The binaries in the order of run i: reversed every other run, so neither always goes first."""
    return binaries if i % 2 == 0 else binaries[::-1]


def say(text):
    """Progress on standard error, with the seconds since the run began."""
    print(f"scripts/bench: [{time.perf_counter() - BEGAN:6.0f} s] {text}", file=sys.stderr, flush=True)


def run(argv, ok=(0,)):
    """Milliseconds to run argv to its end as a new process (output discarded)."""
    started = time.perf_counter()
    status = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    if status not in ok:
        raise SystemExit(f"scripts/bench: {' '.join(argv[:4])} … exited {status}")
    return (time.perf_counter() - started) * 1000


def timed_with_memory(argv, ok=(0,), stdout=subprocess.DEVNULL):
    """Milliseconds and peak resident megabytes of one run, both from the same run."""
    report = os.path.join(work, "time.out")
    started = time.perf_counter()
    status = subprocess.run(["/usr/bin/time", "-o", report, "-f", "%M"] + argv, stdout=stdout,
                            stderr=subprocess.DEVNULL, env=env).returncode
    ms = (time.perf_counter() - started) * 1000
    if status not in ok:
        raise SystemExit(f"scripts/bench: {' '.join(argv[:4])} … exited {status}")
    return ms, int(open(report).read().split()[-1]) / 1024


def capture(argv):
    return subprocess.run(argv, check=True, capture_output=True, env=env).stdout


def sqlite(db, *commands, stdin=None):
    """Runs sqlite3 on db with the given SQL or dot-commands (not timed: setting up)."""
    result = subprocess.run(["sqlite3", "-bail", db, *commands], input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"scripts/bench: sqlite3 failed: {result.stderr.strip()}")
    return result.stdout


def quoted(text):
    return "'" + text.replace("'", "''") + "'"


def add(label, size, work_name, key, tool, ms, mb):
    """One row of the table; `key` names the work item on the curve (None: not drawn)."""
    rows.append(dict(label=label, size=size, work=work_name, key=key, tool=tool, ms=ms, mb=mb))


def measure(label, size, work_name, key, tool, argv_for, count, ok=(0,)):
    """Median of `count` runs, then peak memory from one more run."""
    ms = statistics.median(run(argv_for(i), ok) for i in range(count))
    add(label, size, work_name, key, tool, ms, timed_with_memory(argv_for(10_000_000), ok)[1])


def measure_ours(label, size, work_name, key, argv_for, count, ok=(0,)):
    """`measure` for every binary, their runs interleaved: argv_for(binary, i)."""
    times = {b.tool: [] for b in binaries}
    for i in range(count):
        for b in interleaved(i):
            times[b.tool].append(run(argv_for(b, i), ok))
    for b in binaries:
        add(label, size, work_name, key, b.tool, statistics.median(times[b.tool]),
            timed_with_memory(argv_for(b, 10_000_000), ok)[1])


def once(label, size, work_name, key, tool, argv, ok=(0,)):
    """One run, timed and measured together: for work that takes seconds."""
    add(label, size, work_name, key, tool, *timed_with_memory(argv, ok))


# --- the console under tmux ------------------------------------------------------------------

def ui_timings(argv, first_text, moved, then=None, prelude=None, prelude_text=None):
    """Runs a full-screen program in a private tmux server at 120x40: milliseconds to its first
    frame (until `first_text` shows), median milliseconds from a `j` key press to the redrawn
    frame (until `moved` holds; tmux's own round trip included), and peak memory. `prelude` are
    keys pressed before the `j` timings (until `prelude_text` shows: another screen); `then` are
    keys pressed afterwards (the console's history screen), before Ctrl-C quits."""
    socket = f"creditdesk-bench-{os.getpid()}-{len(rows)}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    memory = os.path.join(work, socket + ".mem")
    frames = os.path.join(work, socket + ".frames")
    shell = " ".join([f"CREDITDESK_FRAME_STATS={frames}", "/usr/bin/time", "-o", memory, "-f", "%M"] + [f"'{part}'" for part in argv])
    def screen():
        return subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout
    def wait(condition, limit=UI_TIMEOUT_S):
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            text = screen()
            if condition(text): return text
        raise SystemExit(f"scripts/bench: timed out waiting for {argv[0]} in tmux")
    started = time.perf_counter()
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", "-e", "TERM=tmux-256color", "-e", "LANG=C.UTF-8",
                           "-e", f"CREDITDESK_NOW={NOW}", shell], check=True, env=env)
    wait(lambda text: first_text in text)
    first = (time.perf_counter() - started) * 1000
    for key in prelude or []:
        subprocess.run(tmux + ["send-keys"] + (["-l", key] if len(key) == 1 else [key]), check=True)
    if prelude_text:
        wait(lambda text: prelude_text in text and "(1/" in text)
    keys = []
    if moved is not None:
        for _ in range(15):
            before = screen()
            started = time.perf_counter()
            subprocess.run(tmux + ["send-keys", "j"], check=True)
            wait(lambda text: text != before and moved(text))
            keys.append((time.perf_counter() - started) * 1000)
            subprocess.run(tmux + ["send-keys", "k"], check=True)
            wait(lambda text: "(1/" in text)
    for key in then or []:
        subprocess.run(tmux + ["send-keys"] + (["-l", key] if len(key) == 1 else [key]), check=True)
        time.sleep(0.03)
    time.sleep(0.3)
    subprocess.run(tmux + ["send-keys", "C-c" if then else "q"], check=True)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and not (os.path.exists(memory) and open(memory).read().strip()):
        time.sleep(0.05)
    subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
    time.sleep(0.1)
    lines = open(memory).read().split() if os.path.exists(memory) else []
    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    stats = json.load(open(frames)) if os.path.exists(frames) else {}
    render = stats["render_us_median"] / 1000 if "render_us_median" in stats else None
    history = stats["history_render_us_median"] / 1000 if "history_render_us_median" in stats else None
    return first, (statistics.median(keys) if keys else None), peak, render, history


def tmux_floor():
    """Median milliseconds from a key sent to tmux to its echo on the captured pane, with `cat`
    in the pane (the kernel echoes the key): the part of every key-to-frame time that is tmux's."""
    socket = f"creditdesk-bench-floor-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", "cat"], check=True)
    time.sleep(0.3)
    def screen():
        return subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout
    times = []
    for _ in range(25):
        before = screen()
        started = time.perf_counter()
        subprocess.run(tmux + ["send-keys", "j"], check=True)
        while screen() == before: pass
        times.append((time.perf_counter() - started) * 1000)
    subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
    return statistics.median(times)


# --- SQLite: the same ledger as a database ---------------------------------------------------

SQLITE_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE actions(id TEXT PRIMARY KEY, cost INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE workspaces(workspace TEXT PRIMARY KEY, name TEXT, owner TEXT, plan TEXT, status TEXT,
  balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0), earned INTEGER NOT NULL DEFAULT 0,
  spent INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE entries(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, workspace TEXT NOT NULL, kind TEXT NOT NULL,
  credits INTEGER NOT NULL, balance INTEGER, actor TEXT, action TEXT, job TEXT, item TEXT, pack TEXT,
  price_cents INTEGER, invoice TEXT, source TEXT, expires TEXT, ref INTEGER, reason TEXT);
"""

# A usage event (the columns of `import`) goes in through a view: its trigger is the charge,
# an idempotent insert of the job (one charge per workspace and job, held by a unique index)
# and a balance update guarded by `balance >= cost`, as R4, R6 and R8 ask.
SQLITE_USAGE = """
CREATE INDEX entries_by_workspace ON entries(workspace, seq);
CREATE UNIQUE INDEX one_charge_per_job ON entries(workspace, job) WHERE kind = 'charge';
CREATE VIEW usage(workspace, action, job, outcome, actor, time) AS
  SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER usage_charges INSTEAD OF INSERT ON usage WHEN NEW.outcome = 'succeeded' BEGIN
  UPDATE workspaces SET balance = balance - (SELECT cost FROM actions WHERE id = NEW.action),
                        spent = spent + (SELECT cost FROM actions WHERE id = NEW.action)
   WHERE workspace = NEW.workspace AND balance >= (SELECT cost FROM actions WHERE id = NEW.action)
     AND NOT EXISTS (SELECT 1 FROM entries WHERE kind = 'charge' AND workspace = NEW.workspace AND job = NEW.job);
  INSERT INTO entries(time, workspace, kind, credits, balance, actor, action, job)
   SELECT NEW.time, NEW.workspace, 'charge', -(SELECT cost FROM actions WHERE id = NEW.action), balance,
          NEW.actor, NEW.action, NEW.job
     FROM workspaces WHERE workspace = NEW.workspace AND changes() = 1;
END;
"""


def badge_sql(catalog):
    badge = catalog["badge"]
    return (f"CASE WHEN balance <= {badge['critical_at_or_below']} THEN 'critical' "
            f"WHEN balance <= {badge['low_at_or_below']} THEN 'low' ELSE 'comfortable' END AS badge")


def build_sqlite(ledger, db, listed, catalog):
    """A SQLite database of the ledger's credit entries (from `export --format csv`), its
    workspaces (from `workspace list`) and balances folded from the entries; refuses to go on if
    any workspace's balance differs from CreditDesk's."""
    entries_csv, workspaces_csv = db + ".entries.csv", db + ".workspaces.csv"
    with open(entries_csv, "w") as out:
        subprocess.run([binary, "export", "--ledger", ledger, "--format", "csv"], check=True, stdout=out, env=env)
    with open(workspaces_csv, "w", newline="") as out:
        writer = csv.writer(out)
        for w in listed:
            writer.writerow([w["workspace"], w["name"], w["owner"], w["plan"], w["status"]])
    actions = "".join(f"INSERT INTO actions VALUES({quoted(a['id'])}, {int(a['credits'])});\n" for a in catalog["actions"])
    columns = ["seq", "time", "workspace", "kind", "credits", "balance", "actor", "action", "job", "item", "pack",
               "price_cents", "invoice", "source", "expires", "ref", "reason"]
    # The export's header (CONTRACT.md, `export`), staged whole; the table keeps `columns`.
    exported = columns[:-1] + ["rollover", "reason", "pending"]
    numbers = {"seq", "credits", "balance", "price_cents", "ref"}
    select = ", ".join(f"CAST(NULLIF({c}, '') AS INTEGER)" if c in numbers else f"NULLIF({c}, '')" for c in columns)
    sqlite(db, stdin=SQLITE_SCHEMA + actions + f"""
PRAGMA synchronous=OFF;
CREATE TEMP TABLE staged({", ".join(exported)});
.import --csv --skip 1 {entries_csv} staged
INSERT INTO entries SELECT {select} FROM staged;
DROP TABLE staged;
CREATE TEMP TABLE staged_workspaces(workspace, name, owner, plan, status);
.import --csv {workspaces_csv} staged_workspaces
INSERT INTO workspaces(workspace, name, owner, plan, status) SELECT * FROM staged_workspaces;
WITH folded AS (SELECT workspace, SUM(credits) AS balance,
    SUM(CASE WHEN kind IN ('grant', 'topup') OR (kind = 'adjustment' AND credits > 0) THEN credits ELSE 0 END) AS earned
    FROM entries GROUP BY workspace)
UPDATE workspaces SET balance = folded.balance, earned = folded.earned, spent = folded.earned - folded.balance
  FROM folded WHERE folded.workspace = workspaces.workspace;
{SQLITE_USAGE}
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
""")
    os.remove(entries_csv); os.remove(workspaces_csv)
    differ = compare_balances(sqlite_balances(db), listed)
    if differ:
        raise SystemExit(f"scripts/bench: the SQLite database does not hold the same ledger: {differ}")
    return int(sqlite(db, "SELECT count(*) FROM entries").strip())


def sqlite_balances(db):
    return dict(line.split("|") for line in sqlite(db, "SELECT workspace, balance FROM workspaces").splitlines())


def compare_balances(theirs, listed):
    """'' when every workspace has the same balance, else the first few that differ."""
    differ = [f"{w['workspace']}: creditdesk {w['balance']}, sqlite3 {theirs.get(w['workspace'])}"
              for w in listed if str(w["balance"]) != theirs.get(w["workspace"])]
    if len(theirs) != len(listed): differ.insert(0, f"{len(theirs)} workspaces in sqlite3, {len(listed)} in creditdesk")
    return "; ".join(differ[:5]) + (f" (and {len(differ) - 5} more)" if len(differ) > 5 else "")


# --- one size ----------------------------------------------------------------------------------

def journal_digest(ledger):
    """SHA-256 of a ledger's journal: equal digests say two binaries generated the same history."""
    digest = hashlib.sha256()
    with open(os.path.join(ledger, "journal.jsonl"), "rb") as journal:
        for block in iter(lambda: journal.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def generate(label, size, workspaces):
    """Each binary generates its own ledger (their checkpoints may differ); returns the
    reference's workspace listing, after checking that every binary lists the same balances."""
    for b in binaries:
        b.ledger = os.path.join(work, f"ledger-{size}" + (f"-{b.name}" if len(binaries) > 1 else ""))
        b.generated = timed_with_memory([b.path, "generate", "--ledger", b.ledger, "--workspaces", str(workspaces),
                                         "--entries", str(size)])
    listed = json.loads(capture([primary.path, "workspace", "list", "--json", "--ledger", primary.ledger]))
    if len(binaries) > 1:
        for b in binaries[:-1]:
            theirs = {w["workspace"]: str(w["balance"]) for w in
                      json.loads(capture([b.path, "workspace", "list", "--json", "--ledger", b.ledger]))}
            differ = compare_balances(theirs, listed)
            if differ:
                raise SystemExit(f"scripts/bench: {b.tool} and {primary.tool} generated different ledgers: {differ}")
        same = len({journal_digest(b.ledger) for b in binaries}) == 1
        notes.append(f"{label}: " + ", ".join(b.tool for b in binaries) + (" generated the same journal, byte for byte"
                     if same else " generated journals that differ in bytes, with the same balances"))
    return listed


def bench(size):
    workspaces = max(1, size // RECORDS_PER_WORKSPACE)
    label = f"{size:,} records, {workspaces:,} workspaces"
    say(f"{label}: generating")
    listed = generate(label, size, workspaces)
    ledger = primary.ledger
    catalog = json.load(open(os.path.join(ledger, "catalog.json")))
    if len(listed) != workspaces:
        raise SystemExit(f"scripts/bench: generate made {len(listed)} workspaces, not {workspaces}")
    ids = [w["workspace"] for w in listed]
    one = max(listed, key=lambda w: w["balance"])["workspace"]  # rich enough for every timed charge
    owner = json.loads(capture([binary, "balance", one, "--json", "--ledger", ledger]))["owner"]
    if (options.postgres or options.postgres_only) and size <= options.postgres_max:
        import bench_postgres
        bench_postgres.bench(dict(label=label, size=size, ledger=ledger, binary=binary, env=env, work=work, ids=ids, one=one,
                                  owner=owner, runs=runs, listed=listed, add=add, say=say, run=run, once=once, notes=notes,
                                  timed_with_memory=timed_with_memory, ui_timings=ui_timings, root=options.root,
                                  history_rows=HISTORY_PAGE_ROWS, console_starts=CONSOLE_STARTS,
                                  catalog_cost=lambda action: next(int(a["credits"]) for a in catalog["actions"] if a["id"] == action)))
        if options.postgres_only:
            for b in binaries: shutil.rmtree(b.ledger)
            return
    say(f"{label}: building the SQLite database from the export")
    db = os.path.join(work, f"ledger-{size}.sqlite")
    started = time.perf_counter()
    sqlite_entries = build_sqlite(ledger, db, listed, catalog)
    notes.append(f"{label}: the SQLite database holds the {sqlite_entries:,} credit entries of `export --format csv` "
                 f"and the same {workspaces:,} balances (built and checked in {time.perf_counter() - started:.1f} s, not timed)")

    def ours(work_name, key, argv_for, count=runs, ok=(0,)):
        measure_ours(label, size, work_name, key, argv_for, count, ok)
    def ours_once(work_name, key, argv_for):
        for b in binaries:
            once(label, size, work_name, key, b.tool, argv_for(b))
    def lite(work_name, key, sql_for, count=runs, json_output=False, tool="sqlite3"):
        measure(label, size, work_name, key, tool, lambda i: ["sqlite3"] + (["-json"] if json_output else []) + [db, *sql_for(i)], count)
    def peer(work_name, tool, argv):
        if shutil.which(tool) is None:
            add(label, size, work_name, None, tool + " (not installed)", None, None)
        elif size > options.peers_max:
            add(label, size, work_name, None, f"{tool} (not run above {options.peers_max:,} records)", None, None)
        else:
            once(label, size, work_name, None, tool, argv)

    say(f"{label}: timing reads and charges")
    ours("process start (--help; sqlite3 -version)", None, lambda b, i: [b.path, "--help"])
    add(label, size, "process start (--help; sqlite3 -version)", None, "sqlite3", statistics.median(run(["sqlite3", "-version"]) for _ in range(runs)),
        timed_with_memory(["sqlite3", "-version"])[1])
    ours("opening (an unknown workspace's balance, refused)", "opening",
         lambda b, i: [b.path, "balance", "no-such-workspace", "--ledger", b.ledger], ok=(1,))
    lite("opening (an unknown workspace's balance, refused)", "opening",
         lambda i: ["SELECT balance FROM workspaces WHERE workspace = 'no-such-workspace'"])
    ours("durable charge (new job)", "charge", lambda b, i: [b.path, "charge", one, "ai_graphic", "--job", f"bench-{i}",
                                                             "--as", owner, "--ledger", b.ledger])
    lite("durable charge (new job)", "charge", lambda i: [
        "PRAGMA synchronous=FULL",
        f"INSERT INTO usage VALUES({quoted(one)}, 'ai_graphic', 'bench-{i}', 'succeeded', {quoted(owner)}, '{NOW}')"])
    ours("balance of one workspace", "balance", lambda b, i: [b.path, "balance", one, "--json", "--ledger", b.ledger])
    lite("balance of one workspace", "balance", lambda i: [
        f"SELECT workspace, plan, balance, earned, spent, {badge_sql(catalog)} FROM workspaces WHERE workspace = {quoted(one)}"],
        json_output=True)
    ours("balance as of a past time (--at, R33)", "balance at",
         lambda b, i: [b.path, "balance", one, "--at", PAST, "--json", "--ledger", b.ledger])
    lite("balance as of a past time (--at, R33)", "balance at", lambda i: [
        f"SELECT balance FROM entries WHERE workspace = {quoted(one)} AND time <= '{PAST}' AND balance IS NOT NULL "
        "ORDER BY seq DESC LIMIT 1"], json_output=True)
    ours(f"history page ({HISTORY_PAGE_ROWS} rows)", "history page",
         lambda b, i: [b.path, "history", one, "--limit", str(HISTORY_PAGE_ROWS), "--ledger", b.ledger])
    lite(f"history page ({HISTORY_PAGE_ROWS} rows)", "history page", lambda i: [
        "SELECT seq, time, kind, credits, balance, actor, action, job, item, pack, invoice, reason FROM entries "
        f"WHERE workspace = {quoted(one)} ORDER BY seq DESC LIMIT {HISTORY_PAGE_ROWS}"])

    say(f"{label}: timing all balances and verify")
    journal = os.path.join(work, f"ledger-{size}.journal")
    ours("all balances", "all balances", lambda b, i: [b.path, "workspace", "list", "--json", "--ledger", b.ledger], max(3, runs // 4))
    lite("all balances", "all balances", lambda i: [
        f"SELECT workspace, name, owner, plan, status, balance, {badge_sql(catalog)} FROM workspaces ORDER BY workspace"],
        max(3, runs // 4), json_output=True)
    if size <= options.peers_max and any(shutil.which(tool) for tool in ("hledger", "ledger", "hledger-ui")):
        with open(journal, "w") as out:
            subprocess.run([binary, "export", "--ledger", ledger, "--format", "hledger"], check=True, stdout=out, env=env)
    peer("all balances", "hledger", ["hledger", "-f", journal, "bal", "workspaces"])
    peer("all balances", "ledger", ["ledger", "-f", journal, "bal", "workspaces"])
    ours("verify (whole chain)", "verify", lambda b, i: [b.path, "verify", "--ledger", b.ledger], 3)
    measure(label, size, "verify (whole chain)", "verify", "chained SHA-256 floor (python3 hashlib)",
            lambda i: ["python3", "-c", SHA_CHAIN_FLOOR, os.path.join(ledger, "journal.jsonl")], 3)
    lite("verify (whole chain)", None, lambda i: ["PRAGMA quick_check"], 3, tool="sqlite3 PRAGMA quick_check (pages, not rules)")

    say(f"{label}: timing import")
    events_jsonl = os.path.join(work, f"events-{size}.jsonl")
    events_csv = os.path.join(work, f"events-{size}.csv")
    rng = random.Random(7)
    with open(events_jsonl, "w") as jsonl, open(events_csv, "w", newline="") as table:
        rows_out = csv.writer(table)
        rows_out.writerow(["workspace", "action", "job", "outcome", "actor", "time"])
        for i in range(size):
            event = {"workspace": rng.choice(ids), "action": rng.choice(["ai_graphic", "print_file"]),
                     "job": f"import-{i}", "outcome": "succeeded"}
            jsonl.write(json.dumps(event) + "\n")
            # What `import` records when an event names neither: the operator, and the clock.
            rows_out.writerow([event["workspace"], event["action"], event["job"], event["outcome"], "maria", NOW])
    imported = {b.tool: b.ledger + "-import" for b in binaries}
    for b in binaries:
        shutil.copytree(b.ledger, imported[b.tool])
    import_work = f"import {size:,} events"
    ours_once(import_work, "import", lambda b: [b.path, "import", events_jsonl, "--ledger", imported[b.tool]])
    sqlite(db, "PRAGMA wal_checkpoint(TRUNCATE)")
    imported_db = os.path.join(work, f"import-{size}.sqlite")
    shutil.copyfile(db, imported_db)
    once(label, size, import_work, "import", "sqlite3 (one transaction, idempotent, guarded)",
         ["sqlite3", "-bail", imported_db, "PRAGMA synchronous=FULL", f".import --csv --skip 1 {events_csv} usage"])
    for b in binaries:
        differ = compare_balances(sqlite_balances(imported_db),
                                  json.loads(capture([b.path, "workspace", "list", "--json", "--ledger", imported[b.tool]])))
        notes.append(f"{label}: after the timed charges and the import, " + (f"the balances differ: {differ}" if differ else
                     f"every workspace has the same balance in {b.tool} and in SQLite"))
    raw_db = os.path.join(work, f"raw-{size}.sqlite")
    sqlite(raw_db, "PRAGMA journal_mode=WAL", "CREATE TABLE events(workspace TEXT NOT NULL, action TEXT NOT NULL, "
           "job TEXT NOT NULL, outcome TEXT NOT NULL, actor TEXT, time TEXT, UNIQUE (workspace, job))")
    once(label, size, import_work, "import raw rows", "sqlite3 .import of the raw rows (unique index)",
         ["sqlite3", "-bail", raw_db, "PRAGMA synchronous=FULL", f".import --csv --skip 1 {events_csv} events"])
    for path in (*imported.values(), imported_db, raw_db, events_jsonl, events_csv):
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    for b in binaries:
        add(label, size, "generate (seeded history)", None, b.tool, *b.generated)

    say(f"{label}: timing the console")
    # After the key timings on Accounts, the richest workspace is opened and its history
    # scrolled, first to last row, for the history screen's render time.
    def console_argv(b):
        return [b.path, "--ledger", b.ledger, "--as", "maria", "--no-mouse"]
    history_keys = ["/", *one, "Enter", "Enter"] + ["j"] * 20 + ["G", "k", "k", "g"]
    console = {b.tool: ui_timings(console_argv(b), "(1/", lambda screen: "(2/" in screen, then=history_keys) for b in binaries}
    # The first frame is timed over several starts (the first may read the files from disk
    # after the peers above have pushed them out of the page cache), the binaries taking turns.
    firsts = {b.tool: [console[b.tool][0]] for b in binaries}
    for i in range(CONSOLE_STARTS - 1):
        for b in interleaved(i + 1):
            firsts[b.tool].append(ui_timings(console_argv(b), "(1/", None)[0])
    for b in binaries:
        add(label, size, "console: first full frame", "first frame", b.tool, statistics.median(firsts[b.tool]), console[b.tool][2])
    for b in binaries:
        add(label, size, "console: key press to redrawn frame", None, b.tool, console[b.tool][1], None)
    # Activity (support): every workspace's entries read back from the journal's end by offset.
    for b in binaries:
        activity = ui_timings(console_argv(b), "(1/", lambda screen: "(2/" in screen, prelude=["A"], prelude_text="Activity")
        add(label, size, "console: key press to redrawn frame, Activity", None, b.tool, activity[1], None)
    add(label, size, "tmux's own round trip (cat echoing the key)", None, "tmux", tmux_floor(), None)
    for b in binaries:
        add(label, size, "console: render one frame (any screen)", None, b.tool, console[b.tool][3], None)
    for b in binaries:
        add(label, size, "console: render one frame of the history", None, b.tool, console[b.tool][4], None)
    if shutil.which("hledger-ui") and size <= options.peers_max:
        peer_ui = ui_timings(["hledger-ui", "-f", journal], "workspaces", None)
        add(label, size, "console: first full frame", None, "hledger-ui", peer_ui[0], peer_ui[2])
    else:
        peer("console: first full frame", "hledger-ui", [])
    for b in binaries:
        shutil.rmtree(b.ledger)
    os.remove(db)
    if os.path.exists(journal): os.remove(journal)


# --- the table and the curve -------------------------------------------------------------------

def shown_ms(ms):
    return "—" if ms is None else (f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms")


def versus(ms, base):
    """How a peer's median compares with CreditDesk's, whichever way round it is."""
    ratio = ms / base
    slower = ratio >= 1
    factor = ratio if slower else 1 / ratio
    return (f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}") + ("× slower" if slower else "× faster")


def our_tools():
    """The creditdesk binaries in the rows, in the order they were named; the last is the reference."""
    return list(dict.fromkeys(r["tool"] for r in rows if is_ours(r["tool"])))


def table():
    # With --postgres-only there is no file-ledger row: the first tool in the rows is the reference.
    reference = (our_tools() or [r["tool"] for r in rows])[-1]
    base = {(r["label"], r["work"]): r["ms"] for r in rows if r["tool"] == reference and r["ms"] is not None}
    lines = [f"| data | work | tool | median | peak memory | vs {reference} |", "|---|---|---|---:|---:|---:|"]
    for r in rows:
        memory = "—" if r["mb"] is None else f"{r['mb']:,.0f} MB"
        ours = base.get((r["label"], r["work"]))
        ratio = versus(r["ms"], ours) if r["tool"] != reference and r["ms"] is not None and ours else ""
        lines.append(f"| {r['label']} | {r['work']} | {r['tool']} | {shown_ms(r['ms'])} | {memory} | {ratio} |")
    return "\n".join(lines)


SLOWER_FLAGGED = 1.10                # a ratio past this (10% slower) is marked in the comparison


def comparison():
    """With several binaries: one line per work item, a column per binary, each later binary's
    ratio to the first (marked past SLOWER_FLAGGED), their peak memory, and the peers' medians
    compared with the last binary. '' with one binary."""
    tools = our_tools()
    if len(tools) < 2: return ""
    first, last = tools[0], tools[-1]
    names = [t[len("creditdesk ("):-1] for t in tools]
    head = (["data", "work"] + names + [f"{n} ÷ {names[0]}" for n in names[1:]] +
            ["peak memory " + " → ".join(names), f"peers, same run (vs {names[-1]})"])
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 4) + "---:|---|"]
    groups = {}
    for r in rows:
        groups.setdefault((r["label"], r["work"]), []).append(r)
    for (label, work_name), group in groups.items():
        by_tool = {r["tool"]: r for r in group}
        if first not in by_tool: continue
        ms = [by_tool.get(t, {}).get("ms") for t in tools]
        cells = [label, work_name] + [shown_ms(m) for m in ms]
        for m in ms[1:]:
            ratio = m / ms[0] if m is not None and ms[0] else None
            cells.append("—" if ratio is None else (f"**{ratio:.2f}**" if ratio > SLOWER_FLAGGED else f"{ratio:.2f}"))
        memory = [by_tool.get(t, {}).get("mb") for t in tools]
        cells.append("—" if all(m is None for m in memory) else " → ".join("—" if m is None else f"{m:,.0f} MB" for m in memory))
        reference = by_tool.get(last, {}).get("ms")
        peers = [r["tool"] if r["ms"] is None else f"{r['tool']} {shown_ms(r['ms'])}" +
                 (f" ({versus(r['ms'], reference)})" if reference else "") for r in group if not is_ours(r["tool"])]
        cells.append("; ".join(peers))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth():
    """Each drawn work item's median at the smallest and the largest size, and the slope of the
    log-log line between them: 0 is flat, 1 grows like the journal, more is faster than that."""
    sizes = sorted({r["size"] for r in rows})
    if len(sizes) < 2: return ""
    at = {(r["key"], r["tool"], r["size"]): r["ms"] for r in rows if r["key"] is not None and r["ms"] is not None}
    lines = [f"| work | tool | at {sizes[0]:,} | at {sizes[-1]:,} | growth | slope (0 flat, 1 linear) |",
             "|---|---|---:|---:|---:|---:|"]
    for key, tool in dict.fromkeys((r["key"], r["tool"]) for r in rows if r["key"] is not None):
        first, last = at.get((key, tool, sizes[0])), at.get((key, tool, sizes[-1]))
        if first is None or last is None: continue
        slope = math.log(last / first) / math.log(sizes[-1] / sizes[0])
        lines.append(f"| {key} | {tool} | {shown_ms(first)} | {shown_ms(last)} | ×{last / first:.2f} | {slope:.2f} |")
    return "\n".join(lines)


def series_tool(tool):
    return tool if is_ours(tool) else ("sqlite3" if tool.startswith("sqlite3") or tool.startswith("chained") else None)


def dash(family, reference):
    """gnuplot's dash type of a tool's lines: the reference binary solid, SQLite dashed, any
    other binary dash-dotted."""
    return 1 if family == reference else CURVE_DASHES.get(family, 4)


def curve(out):
    """Writes bench-curve.dat and bench-curve.gp, and runs gnuplot for bench-curve.png: log-log,
    entries against median milliseconds, one line per work item and tool."""
    series = {}
    for r in rows:
        family = series_tool(r["tool"])
        if r["key"] is None or family is None or r["ms"] is None: continue
        series.setdefault((r["key"], family), []).append((r["size"], r["ms"]))
    tools = our_tools()
    if not tools: return  # --postgres-only: nothing of the file ledger's to draw against
    reference = tools[-1]
    families = [reference, "sqlite3"] + tools[:-1]
    order = [(key, family) for family in families for key in CURVE_COLOURS if (key, family) in series]
    data, script = os.path.join(out, "bench-curve.dat"), os.path.join(out, "bench-curve.gp")
    plots, block = [], 0
    with open(data, "w") as out_data:
        for key, family in order:
            if block > 0 and family != order[block - 1][1]:
                plots.append("keyentry with lines lc rgb 'white' title ' '")  # a gap in the key between tools
            out_data.write(f"# {key} · {family}\n" + "".join(f"{x} {y:.3f}\n" for x, y in sorted(series[(key, family)])) + "\n\n")
            plots.append(f"'bench-curve.dat' index {block} with linespoints lw 2 pt 7 ps 0.8 lc rgb '{CURVE_COLOURS[key]}' "
                         f"dt {dash(family, reference)} title '{CURVE_TITLES.get((key, family), key + ' · ' + family)}'")
            block += 1
    sizes = sorted({r["size"] for r in rows})
    verify = dict(series.get(("verify", reference), []))
    name = lambda tool: tool[len("creditdesk ("):-1] if tool.startswith("creditdesk (") else tool
    others = ", ".join(name(t) for t in tools[:-1])
    title = (f"CreditDesk {name(reference)} (solid), {others} (dash-dot) and SQLite (dashed)" if others
             else "CreditDesk (solid) and SQLite (dashed)")
    if verify:
        x0 = min(verify)
        # A reference of slope 1, a little under verify's first point so that both stay visible.
        plots.append(f"{verify[x0] / 4:.6f} * x / {x0} with lines lw 1.5 dt 3 lc rgb '#555555' title 'slope 1 (linear growth)'")
    tics = ", ".join(f"'{s:,}' {s}" for s in sizes)
    with open(script, "w") as gp:
        gp.write(f"""# Redraw with: gnuplot bench-curve.gp (in this directory)
set terminal pngcairo size 1500,900 font 'DejaVu Sans,12'
set output 'bench-curve.png'
set title '{title}: median time against journal entries, each a new process'
set logscale xy
set xlabel 'journal entries'
set ylabel 'median time (log scale)'
set ytics ('0.1 ms' 0.1, '1 ms' 1, '10 ms' 10, '100 ms' 100, '1 s' 1000, '10 s' 10000, '100 s' 100000, '1000 s' 1000000)
set xtics ({tics})
set xrange [{sizes[0] / 1.5:.0f}:{sizes[-1] * 1.5:.0f}]
set grid xtics ytics mytics
set key outside right top Left reverse samplen 3
plot {", ".join(plots)}
""")
    if shutil.which("gnuplot") is None:
        say("no gnuplot: skipped the curve (Debian: apt-get install gnuplot-nox)")
        return
    subprocess.run(["gnuplot", "bench-curve.gp"], cwd=out, check=True)
    say(f"wrote {os.path.join(out, 'bench-curve.png')}")


def replot(directory):
    """Reads the rows of an earlier run back from its bench-results.tsv."""
    with open(os.path.join(directory, "bench-results.tsv")) as results:
        for r in csv.DictReader(results, delimiter="\t"):
            add(r["data"], int(r["entries"]), r["work"], r["curve"] or None, r["tool"],
                float(r["median_ms"]) if r["median_ms"] else None, float(r["peak_mb"]) if r["peak_mb"] else None)


if options.replot:
    replot(options.replot)
    print((comparison() + "\n\n" if comparison() else "") + table() +
          ("\n\nGrowth with the journal's length:\n\n" + growth() if growth() else ""))
    curve(options.replot)
    sys.exit(0)
for size in options.sizes:
    bench(size)
text = (comparison() + "\n\n" if comparison() else "") + table()
grown = growth()
if grown: text += "\n\nGrowth with the journal's length:\n\n" + grown
text += "\n\n" + "\n".join(f"- {note}" for note in notes)
print(text)
with open(os.path.join(options.out, "bench-table.md"), "w") as out:
    out.write(text + "\n")
with open(os.path.join(options.out, "bench-results.tsv"), "w") as out:
    out.write("entries\tdata\twork\tcurve\ttool\tmedian_ms\tpeak_mb\n")
    for r in rows:
        out.write("\t".join(str(v) if v is not None else "" for v in
                            (r["size"], r["label"], r["work"], r["key"], r["tool"],
                             None if r["ms"] is None else f"{r['ms']:.3f}", None if r["mb"] is None else f"{r['mb']:.1f}")) + "\n")
curve(options.out)
