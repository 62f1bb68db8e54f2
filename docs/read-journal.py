#!/usr/bin/env python3
"""An independent reader of a CreditDesk ledger directory, written from docs/LEDGER-FORMAT.md
alone (no CreditDesk code): it checks every record's checksum, the hash chain from the genesis
value, the sequence, the commit grouping and the torn tail, folds the credit entries into
balances, and prints one JSON summary.

    python3 docs/read-journal.py LEDGER_DIR

Exit status: 0 the journal reads cleanly (a torn tail is reported, not an error); 2 a record
is damaged (one line on standard error names it). Standard library only.
"""
import hashlib
import json
import sys

GENESIS = "0" * 64
LINE_MAX = 16384
FORMAT = 1
HASH_TAIL = len(',"hash":"') + 64 + len('"}')  # 75 bytes

STRING, INTEGER, BOOLEAN = str, int, bool
KEYS = {
    "v": INTEGER, "seq": INTEGER, "time": STRING, "kind": STRING, "actor": STRING,
    "ws": STRING, "credits": INTEGER, "balance": INTEGER, "action": STRING, "job": STRING,
    "item": STRING, "pack": STRING, "price_cents": INTEGER, "invoice": STRING, "plan": STRING,
    "source": STRING, "expires": STRING, "ref": INTEGER, "reverses": INTEGER, "name": STRING, "owner": STRING,
    "member": STRING, "role": STRING, "status": STRING, "messages": INTEGER, "alert": STRING,
    "on_behalf_of": STRING, "catalog": STRING, "catalog_sha256": STRING, "clock": STRING, "reason": STRING,
    "payment": STRING, "request": STRING, "more": BOOLEAN, "prev": STRING, "hash": STRING, "held": INTEGER, "by": STRING,
    "threshold": INTEGER, "target": INTEGER, "cap_cents": INTEGER, "limit": INTEGER, "rollover": INTEGER,
}
CREDIT_KINDS = {"grant", "topup", "charge", "refund", "adjustment", "expiry", "hold", "release", "void"}
OTHER_KINDS = {"init", "operator", "workspace", "member", "plan", "trial", "cancel", "copilot", "alert", "clock_reset",
               "auto_topup", "auto_topup_off", "topup_declined", "member_limit", "member_removed", "operator_removed"}
# Keys each kind always carries, beyond v, seq, time, kind, actor, prev and hash.
REQUIRED = {
    "init": {"catalog", "catalog_sha256"}, "operator": {"name", "role"},
    "workspace": {"ws", "name", "owner", "plan", "status"}, "member": {"ws", "member"}, "member_limit": {"ws", "member"},
    "member_removed": {"ws", "member", "reason"}, "operator_removed": {"name", "role", "reason"},
    "plan": {"ws", "plan"}, "trial": {"ws", "status"}, "cancel": {"ws", "status"},
    "copilot": {"ws", "messages"}, "alert": {"ws", "alert", "ref", "balance"}, "clock_reset": {"ref", "reason"},
    "grant": {"ws", "credits", "balance", "source"}, "topup": {"ws", "credits", "balance", "pack", "price_cents"},
    "charge": {"ws", "credits", "balance", "action"}, "refund": {"ws", "credits", "balance", "action", "job", "ref"},
    "adjustment": {"ws", "credits", "balance", "reason"}, "expiry": {"ws", "credits", "balance", "ref", "expires"},
    "hold": {"ws", "credits", "balance", "action", "job", "held", "expires"},
    "release": {"ws", "credits", "balance", "action", "job", "held", "ref", "expires"},
    "void": {"ws", "credits", "balance", "ref", "reason"},
    "auto_topup": {"ws", "threshold", "cap_cents"}, "auto_topup_off": {"ws"}, "topup_declined": {"ws", "request", "ref"},
}


class Damaged(Exception):
    pass


def refuse_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise Damaged(f'it gives "{key}" twice')
        seen[key] = value
    return seen


def refuse_number(text):
    raise Damaged(f"{text} is not a whole number")


def decode(line):
    """One journal line (bytes, no newline) to a dict, checked against its own SHA-256."""
    if len(line) > LINE_MAX:
        raise Damaged(f"the line is {len(line)} bytes, longer than {LINE_MAX}")
    try:
        record = json.loads(line.decode("utf-8"), object_pairs_hook=refuse_duplicates,
                            parse_float=refuse_number, parse_constant=refuse_number)
    except (UnicodeDecodeError, ValueError) as error:
        raise Damaged(f"not a JSON object ({error})")
    if not isinstance(record, dict):
        raise Damaged("not a JSON object")
    for key, value in record.items():
        if key not in KEYS:
            raise Damaged(f'unknown key "{key}"')
        wanted = KEYS[key]
        if type(value) is not wanted:
            raise Damaged(f'"{key}" is not a {wanted.__name__}')
    for key in ("v", "seq", "time", "kind", "actor", "prev", "hash"):
        if key not in record:
            raise Damaged(f'it lacks "{key}"')
    if record["v"] > FORMAT:
        raise Damaged(f"record format {record['v']} is newer than {FORMAT}")
    if not line.endswith(b',"hash":"' + record["hash"].encode() + b'"}'):
        raise Damaged('"hash" is not the last key')
    if hashlib.sha256(line[:-HASH_TAIL]).hexdigest() != record["hash"]:
        raise Damaged("its contents do not match its checksum")
    kind = record["kind"]
    if kind not in CREDIT_KINDS and kind not in OTHER_KINDS:
        raise Damaged(f'unknown kind "{kind}"')
    missing = REQUIRED[kind] - record.keys()
    if missing:
        raise Damaged(f"a {kind} record lacks {sorted(missing)}")
    if ("credits" in record) != (kind in CREDIT_KINDS):
        raise Damaged(f'"credits" on a {kind} record')
    return record


class Reader:
    def __init__(self, catalog_bytes):
        self.catalog_bytes = catalog_bytes
        self.prev = GENESIS
        self.seq = 0
        self.time = ""
        self.workspaces = {}
        self.kinds = {}
        self.commits = 0
        self.multi_record_commits = 0

    def chain(self, record):
        """Checks one record against the one before it (whether or not its commit is whole)."""
        if record["prev"] != self.prev:
            raise Damaged('the hash chain is broken: "prev" is not the hash of the record before it')
        if record["seq"] != self.seq + 1:
            raise Damaged(f"seq {record['seq']} follows seq {self.seq}")
        if record["time"] < self.time and record["kind"] != "clock_reset":
            raise Damaged(f"dated {record['time']}, before {self.time}")
        if record["seq"] == 1:
            if record["kind"] != "init" or record["prev"] != GENESIS:
                raise Damaged("the first record is not an init record chained to the genesis value")
            if hashlib.sha256(self.catalog_bytes).hexdigest() != record["catalog_sha256"]:
                raise Damaged("catalog.json does not match the init record's catalog_sha256")
        elif record["kind"] == "init":
            raise Damaged("init is not the first record")
        self.prev, self.seq, self.time = record["hash"], record["seq"], record["time"]

    def fold(self, record):
        """Applies a record of a whole commit: balances, earned and spent (R21)."""
        kind = record["kind"]
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if kind == "workspace":
            self.workspaces[record["ws"]] = {"balance": 0, "earned": 0, "spent": 0}
            return
        if kind not in CREDIT_KINDS:
            return
        ws = self.workspaces.get(record["ws"])
        if ws is None:
            raise Damaged(f"names workspace {record['ws']}, which was never created")
        credits = record["credits"]
        ws["balance"] += credits
        if ws["balance"] != record["balance"] or ws["balance"] < 0:
            raise Damaged(f"says the balance after it is {record['balance']}, the entries before it give {ws['balance']}")
        if kind in ("grant", "topup") or (kind == "adjustment" and credits >= 0):
            ws["earned"] += credits
        else:
            ws["spent"] -= credits   # a refund is positive, so it lowers spent


def read(directory):
    with open(directory + "/catalog.json", "rb") as file:
        reader = Reader(file.read())
    with open(directory + "/journal.jsonl", "rb") as file:
        data = file.read()
    pending, end, offset, line_number = [], 0, 0, 0
    while True:
        newline = data.find(b"\n", offset)
        if newline < 0:
            break   # what is left has no newline: part of a torn tail
        line_number += 1
        try:
            record = decode(data[offset:newline])
            reader.chain(record)
        except Damaged as problem:
            raise Damaged(f"journal.jsonl line {line_number}: {problem}")
        pending.append((line_number, record))
        offset = newline + 1
        if record.get("more") is True:
            continue
        for number, whole in pending:
            try:
                reader.fold(whole)
            except Damaged as problem:
                raise Damaged(f"journal.jsonl line {number} (seq {whole['seq']}): {problem}")
        reader.commits += 1
        reader.multi_record_commits += len(pending) > 1
        pending, end = [], offset
        head_seq, head_hash = reader.seq, reader.prev
    if line_number == 0 or end == 0:
        raise Damaged("journal.jsonl line 1: the journal holds no whole init record")
    return {
        "records": head_seq, "head_seq": head_seq, "head_hash": head_hash,
        "journal_bytes": end, "torn_tail_bytes": len(data) - end,
        "commits": reader.commits, "multi_record_commits": reader.multi_record_commits,
        "kinds": reader.kinds, "workspaces": reader.workspaces,
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: read-journal.py LEDGER_DIR\n")
        sys.exit(64)
    try:
        summary = read(sys.argv[1])
    except Damaged as damage:
        sys.stderr.write(f"read-journal: damaged: {damage}\n")
        sys.exit(2)
    print(json.dumps(summary, sort_keys=True))
