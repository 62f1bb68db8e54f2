import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Once a command's records are durable it reports success (exit 0) whatever
/// happens to standard output, the checkpoint or mail delivery; those are warnings on standard
/// error (`creditdesk: warning: ...`). Nothing after the commit makes a retry pay twice.
@Suite("After the commit", .serialized)
struct AfterCommitFaultTests {
    /// Runs the real binary with standard output a pipe whose reading end is already closed, and
    /// SIGPIPE at its default action (as under a shell whose reader has gone).
    static func runWithClosedStdout(_ cli: CLI, _ arguments: [String], as actor: String,
                                    environment extra: [String: String] = [:]) throws -> RawProcess.Result {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let errPath = cli.scratch + "/" + UUID().uuidString + ".stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        close(ends[0])   // nobody will ever read standard output
        var environment = cli.environment
        environment["CREDITDESK_OPERATOR"] = actor
        environment.merge(extra) { $1 }
        let argv = ([CLI.binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let started = RawProcess.monotonic()
        let code = posix_spawn(&pid, CLI.binary, &actions, &attributes, argv, envp)
        close(ends[1])
        try #require(code == 0, "posix_spawn: \(code)")
        return RawProcess(pid: pid, started: started, stdoutPath: cli.scratch + "/no-stdout-file", stderrPath: errPath).wait()
    }

    static func topups(_ cli: CLI) throws -> Int {
        try cli.wholeRecords().filter { $0.string("kind") == "topup" }.count
    }

    @Test("a top-up whose standard output is full (> /dev/full) exits 0 with a warning; the journal holds it once")
    func fullStandardOutputAfterACommitIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        let full = try RawProcess.spawnWithStdout("/dev/full", cli, ["topup", "acme", "topup_800", "--json"], as: People.owner)
        #expect(full.status == 0, "\(full)")
        #expect(full.stderr.contains("creditdesk: warning: standard output could not be written (No space left on device)"), "\(full)")
        #expect(full.stderr.split(separator: "\n").count == 1, "\(full)")
        #expect(try Self.topups(cli) == 1)
        #expect(try cli.balance().int("balance") == 10_000)
    }

    static let fullWarning = "creditdesk: warning: standard output could not be written (No space left on device); what the ledger recorded stands\n"

    @Test("init whose standard output is full exits 0 with a warning; the ledger it made stands")
    func initWithFullStandardOutputIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let full = try RawProcess.spawnWithStdout("/dev/full", cli, ["init", "--catalog", "konfiwear"], as: People.support)
        #expect(full.status == 0, "\(full)")
        #expect(full.stderr == Self.fullWarning, "\(full)")
        #expect(try cli.journalRecords().map { $0.string("kind") } == ["init"])
        try cli.ok("verify", as: People.support)
    }

    @Test("generate of a new ledger, setup commands and a reversal with standard output full exit 0 with a warning")
    func otherWritesWithFullStandardOutputAreAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        // generate makes the ledger and the fewest records one workspace takes.
        let generated = try RawProcess.spawnWithStdout("/dev/full", cli, ["generate", "--workspaces", "1", "--entries", "5"], as: People.support)
        #expect(generated.status == 0 && generated.stderr == "creditdesk: generated 5 of 5 records\n" + Self.fullWarning, "\(generated)")
        let base = try cli.journalRecords().count
        #expect(base == 5)
        let writes: [[String]] = [
            ["operator", "add", "bob", "--role", "support"],
            ["workspace", "create", "acme", "--name", "Acme", "--owner", People.owner, "--plan", "pro"],
            ["workspace", "add-member", "acme", People.member],
            ["adjust", "acme", "+50", "--reason", "seed"],
            ["adjust", "acme", "-5", "--reason", "typo"],
            ["reverse", "acme", "\(base + 5)", "--reason", "mistake"],
        ]
        for (index, arguments) in writes.enumerated() {
            let full = try RawProcess.spawnWithStdout("/dev/full", cli, arguments, as: People.support)
            #expect(full.status == 0 && full.stderr == Self.fullWarning, "\(arguments): \(full)")
            #expect(try cli.journalRecords().count == base + 1 + index, "\(arguments)")
        }
    }

    @Test("a read whose standard output is full exits 2 with one line, and does not crash")
    func fullStandardOutputOnAReadIsOneLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 5)
        for arguments in [["balance", "acme", "--json"], ["export", "--format", "csv"], ["verify"]] {
            let full = try RawProcess.spawnWithStdout("/dev/full", cli, arguments, as: People.support)
            #expect(full.status == 2, "\(arguments): \(full)")
            #expect(full.stderr == "creditdesk: cannot write to standard output: No space left on device\n", "\(arguments): \(full)")
        }
    }

    @Test("a charge whose standard output is a pipe nobody reads (SIGPIPE) exits 0 with a warning, charged once")
    func closedPipeAfterACommitIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let result = try Self.runWithClosedStdout(cli, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: People.member)
        #expect(result.ending == .exited(0), "\(result)")
        #expect(result.stderr.contains("warning: standard output could not be written (Broken pipe)"), "\(result)")
        #expect(try cli.balance().int("balance") == 44)
        let again = try cli.run("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        #expect(again.status == 0 && again.stdout.contains("already"), "\(again)")
        #expect(try cli.balance().int("balance") == 44)
    }

    @Test("R24: a sendmail command that exits without reading never kills the writer: every crossing exits 0 and is logged")
    func R24_sendmailThatDoesNotReadIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 14, owner: AlertDeliveryTests.owner)
        let crossings = 12
        var unread = 0
        for round in 0..<crossings {
            if round > 0 { try cli.ok("adjust", "acme", "+6", "--reason", "re-arm \(round)", as: People.support) }
            let charge = try cli.spawn(["charge", "acme", "ai_graphic", "--job", "j-\(round)"], as: People.member,
                                       environment: ["CREDITDESK_SENDMAIL": "exit 0"]).wait()
            #expect(charge.ending == .exited(0), "round \(round): \(charge)")
            if charge.stderr.contains("did not read the message") { unread += 1 }
        }
        let log = (try? String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)) ?? ""
        #expect(log.split(separator: "\n").count == crossings, "\(log)")
        #expect(cli.files(in: cli.outboxNew).count == crossings)
        #expect(try cli.balance().int("balance") == 8)
        print("sendmail that does not read: \(unread) of \(crossings) deliveries met a closed pipe (each would have been a SIGPIPE)")
    }

    @Test("generate whose closing checkpoint cannot be written (a directory in the way) exits 0 with a warning; the history verifies")
    func generateWithTheCheckpointBlockedIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", "--now", "2025-01-01T00:00:00Z", as: People.support)
        try FileManager.default.createDirectory(atPath: cli.ledger + "/checkpoint/in-the-way", withIntermediateDirectories: true)
        let generated = try cli.run("generate", "--workspaces", "3", "--entries", "400", "--days", "30", as: People.support)
        #expect(generated.status == 0, "\(generated)")
        #expect(generated.stderr.contains("warning: the records are written, but the checkpoint (a cache) could not be rewritten"), "\(generated)")
        #expect(!generated.stderr.contains("nothing was written"), "\(generated)")
        #expect(generated.stdout.hasPrefix("generated "), "\(generated)")
        try cli.expectCleanVerify()
    }
}

extension RawProcess {
    /// Runs `cli`'s binary with standard output opened on `path` (e.g. /dev/full).
    static func spawnWithStdout(_ path: String, _ cli: CLI, _ arguments: [String], as actor: String) throws -> Result {
        var environment = cli.environment
        environment["CREDITDESK_OPERATOR"] = actor
        let process = try RawProcess.spawn("/bin/sh", [Array("-c".utf8), Array("exec \"$0\" \"$@\" > \(path)".utf8), Array(CLI.binary.utf8)]
                                                + arguments.map { Array($0.utf8) }, environment: environment, captureIn: cli.scratch)
        return process.wait()
    }
}

/// R24 on every path that commits: the alerts that `import` and `generate` write are handed
/// to `CREDITDESK_SENDMAIL` as one command's are, and a delivery problem is a warning (exit 0).
@Suite("Alerts from every committing path", .serialized)
struct AlertsFromEveryPathTests {
    /// acme (owner olga@example.com) at 20 credits, and a usage file whose two charges take it to 8.
    static func crossingImport(_ cli: CLI) throws -> String {
        try cli.makeAcme(credits: 20, owner: AlertDeliveryTests.owner)
        let file = cli.scratch + "/events.jsonl"
        try """
        {"workspace":"acme","action":"ai_graphic","job":"i-1","outcome":"succeeded"}
        {"workspace":"acme","action":"ai_graphic","job":"i-2","outcome":"succeeded"}

        """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func deliveryLog(_ cli: CLI) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test("R24: an import whose charges cross the low level pipes the alert to CREDITDESK_SENDMAIL and logs it")
    func R24_importSendsItsAlerts() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = try Self.crossingImport(cli)
        let sent = cli.scratch + "/sent.eml"
        let result = try cli.ok(["import", file], as: People.support, environment: ["CREDITDESK_SENDMAIL": "cat > '\(sent)'"])
        #expect(result.stdout.contains("alert emails written to outbox/new: 1"), "\(result)")
        let files = cli.files(in: cli.outboxNew)
        #expect(files.count == 1, "\(files)")
        let stored = try String(contentsOfFile: cli.outboxNew + "/" + (files.first ?? "?"), encoding: .utf8)
        #expect((try? String(contentsOfFile: sent, encoding: .utf8)) == stored, "the import's alert was not handed to sendmail")
        let log = Self.deliveryLog(cli)
        #expect(log.count == 1, "\(log)")
        #expect(log.first?.int("status") == 0 && log.first?.string("message") == files.first, "\(log)")
        #expect(try cli.balance().int("balance") == 8)
    }

    @Test("R24: an import whose sendmail fails exits 0 with a warning; the batch stands and the message stays")
    func R24_importWithAFailingSendmailIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = try Self.crossingImport(cli)
        let result = try cli.run(["import", file, "--json"], as: People.support, environment: ["CREDITDESK_SENDMAIL": "cat > /dev/null; exit 3"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("creditdesk: warning: alert email for \(AlertDeliveryTests.owner) was not accepted by CREDITDESK_SENDMAIL (status 3)"), "\(result)")
        #expect(try result.jsonObject().int("alert_emails") == 1, "\(result)")
        #expect(Self.deliveryLog(cli).first?.int("status") == 3)
        #expect(cli.files(in: cli.outboxNew).count == 1)
        #expect(try cli.balance().int("balance") == 8)
    }

    @Test("R24: generate hands every alert its history writes to CREDITDESK_SENDMAIL, one logged delivery per message")
    func R24_generateSendsItsAlerts() throws {
        let cli = try CLI()
        defer { cli.remove() }
        rmdir(cli.ledger)
        let generated = try cli.run(["generate", "--workspaces", "4", "--entries", "1500", "--days", "60"], as: People.support,
                                    environment: ["CREDITDESK_SENDMAIL": "cat > /dev/null"])
        #expect(generated.status == 0, "\(generated)")
        let messages = cli.files(in: cli.outboxNew)
        try #require(!messages.isEmpty, "this history raises no alert: pick sizes that do")
        let log = Self.deliveryLog(cli)
        #expect(log.count == messages.count, "\(messages.count) alert emails, \(log.count) handed to sendmail")
        #expect(Set(log.compactMap { $0.string("message") }) == Set(messages))
        #expect(log.allSatisfy { $0.int("status") == 0 }, "\(log)")
    }
}

/// An import whose later batch cannot be written says that the batches before it stand: it never
/// reports "nothing was written" alone, so nobody re-imports (and a script's retry is idempotent).
@Suite("Import stopped after durable batches", .serialized)
struct ImportStoppedAfterBatchesTests {
    /// Once the journal has grown past `bytes` (a batch is durable), another writer takes the
    /// ledger's lock and keeps it (flock(1) with a sleep): the next batch meets it.
    static func holdLock(_ cli: CLI, onceJournalPasses bytes: Int) throws -> RawProcess {
        let deadline = RawProcess.monotonic() + 20
        while cli.journalBytes().count <= bytes {
            try #require(RawProcess.monotonic() < deadline, "no batch was ever committed")
            usleep(1_000)
        }
        let flockTool = try #require(CLI.which("flock"), "flock(1) is needed")
        return try RawProcess.spawn(flockTool, ["--exclusive", "--no-fork", cli.ledger + "/lock", "sleep", "30"].map { Array($0.utf8) },
                                    environment: cli.environment, captureIn: cli.scratch)
    }

    @Test("R6: a later batch that meets a held lock exits 2 and says the earlier batches were imported and stand")
    func aLaterBatchThatCannotBeWrittenSaysTheEarlierOnesStand() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100_000)
        let file = cli.scratch + "/events.jsonl"
        let lines = (1...3_000).map { "{\"workspace\":\"acme\",\"action\":\"print_file\",\"job\":\"b-\($0)\",\"outcome\":\"succeeded\"}\n" }
        try lines.joined().write(toFile: file, atomically: true, encoding: .utf8)
        let before = cli.journalBytes().count
        let importing = try cli.spawn(["import", file, "--batch", "1"].map { Array($0.utf8) }, as: People.support,
                                      environment: ["CREDITDESK_LOCK_TIMEOUT": "0.5"])
        // Batches are durable; now another writer takes the lock between two of them and keeps it.
        let holder = try Self.holdLock(cli, onceJournalPasses: before)
        defer { holder.kill(); _ = holder.wait() }
        let result = importing.wait(timeout: 30)
        let jobs = try cli.journalRecords().compactMap { $0["job"] as? String }
        try #require(jobs.count < lines.count, "the import finished before the lock was taken; nothing to check")
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("the \(jobs.count) events of the batches before it were imported and stand"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(jobs == (1...jobs.count).map { "b-\($0)" }, "whole batches, in order")
    }

    @Test("a later generate batch that meets a held lock exits 2 and says the batches before it stand")
    func aLaterGenerateBatchThatCannotBeWrittenSaysTheEarlierOnesStand() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let generating = try cli.spawn(["generate", "--workspaces", "20", "--entries", "20000", "--batch", "20", "--now", "2026-11-01T00:00:00Z"]
            .map { Array($0.utf8) }, as: People.support, environment: ["CREDITDESK_LOCK_TIMEOUT": "0.5"])
        let holder = try Self.holdLock(cli, onceJournalPasses: 4_000)
        defer { holder.kill(); _ = holder.wait() }
        let result = generating.wait(timeout: 60)
        let records = try cli.journalRecords()
        try #require(records.count < 20_000, "generate finished before the lock was taken; nothing to check")
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("the records up to #\(records.count) of the batches before it were written and stand"), "\(result)")
    }
}
