import Foundation
import Testing

/// `export --format csv|jsonl|hledger`: what other tools read.
@Suite("Export")
struct ExportTests {
    /// A ledger with three workspaces, big and small balances, a refund, a clone, adjustments
    /// (one with a comma and a quote in its reason) and one workspace that nets to zero.
    static func makeLedger(_ cli: CLI) throws {
        try cli.makeAcme()
        let maria = People.support
        try cli.ok("workspace", "create", "globex", "--name", "Globex; Inc | West", "--owner", "gina", "--plan", "enterprise", as: maria)
        try cli.ok("workspace", "create", "zero.co", "--name", "Zero", "--owner", "zed", "--plan", "starter", as: maria)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: maria)
        try cli.ok("topup", "acme", "topup_800", as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        try cli.ok("charge", "acme", "print_file", "--job", "j-2", as: People.member)
        try cli.ok("job-failed", "acme", "--job", "j-2", as: People.member)
        try cli.ok("clone", "acme", "fabric", "f-1", as: People.member)
        try cli.ok("adjust", "acme", "-7", "--reason", "refund, \"as agreed\"; see ticket", as: maria)
        try cli.ok("invoice-paid", "globex", "--invoice", "g-1", as: maria)
        try cli.ok("charge", "globex", "ai_vectorize", "--job", "v-1", as: "gina")
        try cli.ok("adjust", "zero.co", "+5", "--reason", "in", as: maria)
        try cli.ok("adjust", "zero.co", "-5", "--reason", "out", as: maria)
    }

    /// `workspace list --json` as support: id → balance.
    static func listedBalances(_ cli: CLI) throws -> [String: Int64] {
        let rows = try cli.ok("workspace", "list", "--json", as: People.support).jsonArray()
        var balances: [String: Int64] = [:]
        for row in rows { balances[row.string("workspace") ?? "?"] = row.int("balance") }
        return balances
    }

    @Test("hledger loads the export and gives the same balances as `workspace list --json`",
          .enabled(if: CLI.which("hledger") != nil, "hledger is not on PATH (CI installs it): the hledger check is skipped"))
    func hledgerBalancesMatchWorkspaceList() throws {
        let hledger = try #require(CLI.which("hledger"))
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let listed = try Self.listedBalances(cli)
        #expect(listed == ["acme": 50 + 10_000 - 6 - 250 - 7, "globex": 200 - 4, "zero.co": 0])

        let export = try cli.ok("export", "--format", "hledger", as: People.support)
        let file = cli.scratch + "/ledger.journal"
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)

        let csv = try cli.runTool(hledger, ["-f", file, "bal", "workspaces", "-O", "csv"])
        try #require(csv.status == 0, "hledger could not load the export: \(csv)\n\(export.stdout)")
        var fromHledger: [String: Int64] = [:]
        var total: Int64?
        for line in csv.stdoutLines.dropFirst() {   // "account","balance"
            let fields = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            let amount = Int64(fields[1].replacingOccurrences(of: "CR", with: "").replacingOccurrences(of: ",", with: "")
                .trimmingCharacters(in: .whitespaces))
            if fields[0] == "total" { total = amount; continue }
            #expect(fields[0].hasPrefix("workspaces:"), "\(line)")
            fromHledger[String(fields[0].dropFirst("workspaces:".count))] = amount
        }
        // hledger leaves out accounts whose balance is zero.
        #expect(fromHledger == listed.filter { $0.value != 0 }, "hledger: \(csv.stdout)")
        #expect(total == listed.values.reduce(0, +))

        // The plain report says the same.
        let plain = try cli.runTool(hledger, ["-f", file, "bal", "workspaces"])
        #expect(plain.status == 0, "\(plain)")
        let acme = listed["acme"] ?? 0   // 9,787: hledger groups thousands as the commodity directive says
        #expect(plain.stdout.contains("\(acme / 1000),\(String(acme % 1000).leftPadded(3)) CR"), "\(plain)")
        #expect(plain.stdout.contains("workspaces:acme") && plain.stdout.contains("workspaces:globex"), "\(plain)")

        // And the journal balances as a whole: workspaces + earned + spent = 0.
        let everything = try cli.runTool(hledger, ["-f", file, "bal", "-O", "csv"])
        #expect(everything.status == 0, "\(everything)")
        #expect(everything.stdoutLines.last?.contains("\"0\"") ?? false, "\(everything)")
    }

    @Test("csv: a header and one row per credit entry; jsonl: one JSON object per line")
    func csvAndJSONLines() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let listed = try Self.listedBalances(cli)
        var creditEntries = 0
        for workspace in listed.keys { creditEntries += try cli.history(workspace).count }

        let csv = try cli.ok("export", "--format", "csv", as: People.support)
        let rows = parseCSV(csv.stdout)
        let header = try #require(rows.first)
        for column in ["seq", "time", "workspace", "kind", "credits", "balance", "actor", "job", "item", "pack", "invoice", "reason"] {
            #expect(header.contains(column), "csv header lacks \(column): \(header)")
        }
        let records = rows.dropFirst()
        #expect(records.count == creditEntries)
        let column = { (name: String) in header.firstIndex(of: name)! }
        var sums: [String: Int64] = [:]
        for row in records {
            #expect(row.count == header.count, "\(row)")
            guard row.count == header.count else { continue }
            sums[row[column("workspace")], default: 0] += Int64(row[column("credits")]) ?? .min / 2
            #expect(isISO8601UTC(row[column("time")]), "\(row)")
        }
        #expect(sums == listed)
        #expect(records.contains { $0[column("reason")] == "refund, \"as agreed\"; see ticket" }, "csv quoting: \(csv.stdout)")

        let jsonl = try cli.ok("export", "--format", "jsonl", as: People.support)
        let lines = jsonl.stdoutLines
        #expect(lines.count == creditEntries)
        var seqs: [Int64] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            for key in ["seq", "time", "kind", "credits", "balance", "actor", "workspace"] { #expect(object[key] != nil, "\(line)") }
            seqs.append(object.int("seq") ?? -1)
        }
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)

        // One workspace, by its owner: only its entries.
        let acmeOnly = try cli.ok("export", "acme", "--format", "jsonl", as: People.owner)
        #expect(acmeOnly.stdoutLines.count == (try cli.history("acme").count))
        #expect(!acmeOnly.stdout.contains("\"globex\""))
        // Everything is for support only.
        #expect(try cli.run("export", "--format", "csv", as: People.owner).status == 1)
        // An unknown format is a wrong command line.
        #expect(try cli.run("export", "--format", "xml", as: People.support).status == 64)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// RFC 4180 CSV (quoted fields, doubled quotes, commas inside quotes).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" { field.append("\""); characters = characters.dropFirst() } else { quoted = false }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field); field = ""
        } else if character == "\n" || character == "\r\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else if character != "\r" {
            field.append(character)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
