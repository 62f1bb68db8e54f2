import Foundation
import Testing

/// A crash mid-append, seen from the command line: the half-written tail is reported by
/// `verify`, never read as data, and cut back by the next writer.
@Suite("Torn tail recovery")
struct TornTailRecoveryTests {
    @Test("a half-written record: verify notes it, the next charge recovers, verify is clean again")
    func tornTailIsRecoveredByTheNextWriter() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let intact = try cli.journal()
        let records = try cli.journalRecords().count

        // Append half a record, no newline.
        let half = Data(#"{"seq":\#(records + 1),"time":"2026-01-10T09:00:00Z","kind":"charge","workspace":"acme","cred"#.utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: cli.journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: half)
        try handle.close()

        let noted = try cli.run("verify")
        #expect(noted.status == 0, "\(noted)")
        #expect(noted.stdout.contains("half-written"), "\(noted)")
        #expect(noted.stdout.contains("\(half.count) bytes"), "\(noted)")
        let notedJSON = try cli.ok("verify", "--json").jsonObject()
        #expect(notedJSON.int("torn_tail_bytes") == Int64(half.count))
        #expect(notedJSON.int("records") == Int64(records))
        // Readers ignore it, and do not cut it.
        #expect(try cli.balance().int("balance") == 94)
        #expect(try cli.journal() == intact + half)

        let charge = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        #expect(charge.output.contains("recovered"), "\(charge)")
        #expect(charge.output.contains("\(half.count) bytes"), "\(charge)")

        let clean = try cli.ok("verify")
        #expect(!clean.stdout.contains("half-written"), "\(clean)")
        let cleanJSON = try cli.ok("verify", "--json").jsonObject()
        #expect(cleanJSON["torn_tail_bytes"] == nil, "\(cleanJSON)")
        #expect(cleanJSON.int("records") == Int64(records + 1))
        let after = try cli.journal()
        #expect(after.starts(with: intact))
        #expect(after.last == UInt8(ascii: "\n"))
        #expect(!after.subdata(in: intact.count..<after.count).starts(with: half), "the torn bytes were kept")
        #expect(try cli.balance().int("balance") == 88)
        #expect(try cli.history("acme", ["--kind", "charge"]).count == 2)
    }
}
