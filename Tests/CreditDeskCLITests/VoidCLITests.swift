import Foundation
import Testing

/// R36 voids through the real binary, beside the reversals (R34) they must not double.
@Suite("Voids")
struct VoidCLITests {
    @Test("R36: a voided grant cannot then be reversed: its remainder left once, by the void (exit 1, nothing written)")
    func R36_voidedGrantIsNotReversedAgain() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("grant", "acme", "30", "--kind", "promo", "--reason", "launch", as: People.support)
        let grant = try #require(try cli.history("acme", ["--kind", "grant"]).first?.int("seq"))
        try cli.ok("void", "acme", "\(grant)", "--reason", "promo withdrawn", as: People.support)
        #expect(try cli.balance().int("balance") == 100)
        let before = cli.journalBytes().count
        let reversal = try cli.run("reverse", "acme", "\(grant)", "--reason", "after the void", as: People.support)
        #expect(reversal.status == 1, "\(reversal)")
        #expect(reversal.stderr.contains("grant #\(grant) was already voided by entry #\(grant + 1) (R36)"), "\(reversal)")
        #expect(cli.journalBytes().count == before, "nothing written")
        #expect(try cli.balance().int("balance") == 100)
        try cli.expectCleanVerify()
    }
}
