import CreditKit
import Foundation
import Testing

/// No text from a catalog, a workspace, a reason or a job adds a posting, an account,
/// a directive or a spreadsheet formula to any export format.
@Suite("Export injection")
struct ExportInjectionTests {
    @Test("init refuses a catalog whose action name holds a line break: no ledger is made")
    func initRefusesHostileCatalogText() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data/catalogs/konfiwear.json")
        var catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as? [String: Any])
        var actions = catalog["actions"] as? [[String: Any]] ?? []
        actions[0]["name"] = "AI graphic\n    workspaces:acme  1000000 CR"
        catalog["actions"] = actions
        let path = cli.scratch + "/hostile.json"
        try JSONSerialization.data(withJSONObject: catalog).write(to: URL(fileURLWithPath: path))
        let result = try cli.run("init", "--catalog", path, as: People.support)
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("actions[0].name"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: cli.journalPath))
    }

    @Test("hledger bal of an older ledger's export with hostile catalog, workspace, reason and job text shows exactly the true totals",
          .enabled(if: CLI.which("hledger") != nil, "hledger is not on PATH (CI installs it)"))
    func hledgerShowsTrueTotals() throws {
        let hledger = try #require(CLI.which("hledger"))
        let cli = try CLI()
        defer { cli.remove() }
        try SteeringTextTests.makeOlderLedger(cli)
        let truth = try cli.balance().int("balance")
        #expect(truth == Int64(100 - 6 - 3))
        let export = try cli.ok("export", "--format", "hledger", as: People.support)
        let file = cli.scratch + "/ledger.journal"
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let bal = try cli.runTool(hledger, ["-f", file, "bal", "-O", "csv", "--no-total"])
        try #require(bal.status == 0, "hledger could not load the export: \(bal)\n\(export.stdout)")
        var accounts: [String: Int64] = [:]
        for line in bal.stdoutLines.dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            accounts[fields[0]] = Int64(fields[1].replacingOccurrences(of: "CR", with: "").replacingOccurrences(of: ",", with: "")
                .trimmingCharacters(in: .whitespaces))
        }
        #expect(accounts == ["workspaces:acme": 91, "earned:adjustments": -100, "spent:charges:ai_graphic": 6, "spent:adjustments": 3],
                "\(accounts)\n\(export.stdout)")
        let transactions = export.stdout.components(separatedBy: "\n").filter { $0.first?.isNumber == true }
        #expect(transactions.count == 3, "\(export.stdout)")
    }

    /// Parses CSV with Python's `csv` module (RFC 4180 quoting); prints the rows as JSON.
    static let csvParser = """
    import csv, json, sys
    with open(sys.argv[1], newline='', encoding='utf-8') as f:
        print(json.dumps(list(csv.reader(f))))
    """

    @Test("the CSV export of hostile text: one row per entry, 19 cells, no text cell a spreadsheet formula")
    func csvHasNoFormulas() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        for (job, reason) in [("=1+1", "=HYPERLINK(\"http://evil\",\"x\")"), ("+cmd", "+1"), ("-2", "-SUM(A1)"), ("@A1", "@SUM(1)")] {
            try cli.ok("charge", "acme", "ai_graphic", "--job=" + job, as: People.member)
            try cli.ok("adjust", "acme", "+1", "--reason=" + reason, as: People.support)
        }
        // And what an older ledger may hold: a tab, a carriage return, line breaks and C1 controls.
        try cli.rewriteAsOlderLedger { entry in
            if entry.kind == .adjustment, entry.reason == "+1" { entry.reason = "\t=1+2\n=3\u{9B}2J" }
            if entry.kind == .adjustment, entry.reason == "@SUM(1)" { entry.reason = "\r=4" }
            if entry.kind == .charge, entry.job == "+cmd" { entry.job = "j\n-5,\"6\"" }
        }
        let export = try cli.ok("export", "acme", "--format", "csv", as: People.support)
        let file = cli.scratch + "/export.csv"
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let script = cli.scratch + "/parse_csv.py"
        try Self.csvParser.write(toFile: script, atomically: true, encoding: .utf8)
        let parsed = try cli.runTool("/usr/bin/env", ["python3", script, file])
        try #require(parsed.status == 0, "\(parsed)")
        let rows = try #require(try parsed.json() as? [[String]])
        let entries = try cli.history().count
        #expect(rows.count == 1 + entries, "\(rows)")
        let numeric: Set<Int> = [0, 4, 5, 11, 15, 16]   // seq, credits, balance, price_cents, ref, rollover
        for row in rows.dropFirst() {
            #expect(row.count == 19, "\(row)")
            for (index, cell) in row.enumerated() where !numeric.contains(index) {
                #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "cell \(index) is a formula: \(cell)")
                #expect(steeringCharacters(in: cell).isEmpty && !cell.contains("\n"), "cell \(index): \(cell)")
            }
        }
        #expect(rows.contains { $0[8] == "'=1+1" } && rows.contains { $0[17] == "'-SUM(A1)" }, "\(rows)")
    }
}
