import Foundation
import Testing

/// The command line's text and JSON read right whatever the names hold: columns line up by
/// terminal cells (a CJK character or an emoji takes two), counts are English, and an entry's
/// JSON names the person an operator record is about.
@Suite("Text output")
struct TextOutputTests {
    /// The terminal cells `text` takes: two for CJK and emoji, one otherwise (enough for these names).
    static func cells(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            total + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0x1F300...0x1F64F).contains(scalar.value) ? 2 : 1)
        }
    }

    @Test("history's columns line up when a name is CJK or emoji: each row's What starts at the same cell")
    func historyColumnsLineUpByCells() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        for (name, job) in [("李小龍", "c1"), ("ana😀", "c2")] {
            try cli.ok("workspace", "add-member", "acme", name, as: People.owner)
            try cli.ok("charge", "acme", "print_file", "--job", job, as: name)
        }
        let rows = try cli.ok("history", "acme", as: People.support).stdout.split(separator: "\n").filter { $0.contains("Print-ready") }
        try #require(rows.count == 2, "\(rows)")
        let starts = rows.map { row in Self.cells(row[..<(row.range(of: "Print-ready")?.lowerBound ?? row.endIndex)]) }
        #expect(Set(starts).count == 1, "\(rows)")
    }

    @Test("R42: operator remove --json names who was removed and their role")
    func R42_operatorRemovalJSONNamesThePerson() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        try cli.ok("operator", "add", "ops", "--role", "support", as: People.support)
        let removed = try cli.ok("operator", "remove", "ops", "--reason", "left", "--json", as: People.support).stdout
        #expect(removed.contains("\"kind\":\"operator_removed\"") && removed.contains("\"name\":\"ops\"") && removed.contains("\"role\":\"support\""),
                "\(removed)")
    }

    @Test("migrate names one record in the singular")
    func migrateCountsReadAsEnglish() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", as: People.support)
        let moved = try cli.ok("migrate", "--to", cli.scratch + "/copy", as: People.support).stdout
        #expect(moved.hasPrefix("migrated 1 record (0 workspaces) from "), "\(moved)")
    }
}
