import Foundation
import Testing

/// Every number typed on the command line is read one way: a negative or malformed value is a
/// bad command line (one line, exit 64), a number past its rule's range is that rule's refusal
/// (one line, exit 1) however many digits it has, each echoing what was typed; nothing is written.
@Suite("Numbers on the command line")
struct NumberArgumentTests {
    /// A ledger with acme, a grant to void and an auto top-up able to be set.
    static func ledger() throws -> CLI {
        let cli = try CLI()
        try cli.makeAcme(credits: 100)
        return cli
    }

    @Test("A negative value is one line saying it must not be negative, exit 64, for every numeric field", arguments: [
        (["hold", "acme", "ai_graphic", "--job", "h", "--ttl", "-5"], People.member, "--ttl \"-5\" must not be negative"),
        (["auto-topup", "set", "acme", "--below", "-1", "--pack", "topup_50", "--monthly-cap", "100"], People.owner, "--below \"-1\" must not be negative"),
        (["auto-topup", "set", "acme", "--below", "1", "--to-balance", "-100", "--monthly-cap", "100"], People.owner, "--to-balance \"-100\" must not be negative"),
        (["auto-topup", "set", "acme", "--below", "1", "--pack", "topup_50", "--monthly-cap", "-5"], People.owner, "--monthly-cap \"-5\" must not be negative"),
        (["copilot", "acme", "--messages", "-1"], People.member, "--messages \"-1\" must not be negative"),
        (["history", "acme", "--limit", "-1"], People.owner, "--limit \"-1\" must not be negative"),
        (["member-limit", "set", "acme", People.member, "-1"], People.owner, "credits \"-1\" must not be negative"),
        (["void", "acme", "-1", "--reason", "x"], People.support, "the entry \"-1\" must not be negative"),
        (["reverse", "acme", "-1", "--reason", "x"], People.support, "the entry \"-1\" must not be negative"),
        (["grant", "acme", "-5", "--kind", "promo", "--reason", "x"], People.support, "the amount \"-5\" must not be negative"),
        (["budget", "--action", "ai_graphic=-1"], People.owner, "--action ai_graphic \"-1\" must not be negative"),
    ])
    func negativeValuesAreOneLineExit64(arguments: [String], actor: String, expected: String) throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        let before = cli.journalBytes()
        let result = try cli.run(arguments, as: actor)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("creditdesk: " + expected), "\(result)")
        #expect(cli.journalBytes() == before, "nothing written")
    }

    @Test("A number past its rule's range is the rule's refusal, exit 1, echoing what was typed, however many digits", arguments: [
        (["hold", "acme", "ai_graphic", "--job", "h", "--ttl"], People.member, ["86401", "1441m", "99999999999999999999999"], "invalid time to live: "),
        (["auto-topup", "set", "acme", "--below", "1", "--pack", "topup_50", "--monthly-cap"], People.owner,
         ["100000.01", "10000000000", "99999999999999", "999999999999999999999"], "invalid monthly cap "),
        (["auto-topup", "set", "acme", "--pack", "topup_50", "--monthly-cap", "100", "--below"], People.owner,
         ["10000001", "99999999999999999999"], "invalid threshold "),
        (["member-limit", "set", "acme", People.member], People.owner, ["100000001", "99999999999999999999"], "invalid amount "),
        (["copilot", "acme", "--messages"], People.member, ["1000001", "99999999999999999999"], "invalid amount "),
        (["grant", "acme", "--kind", "promo", "--reason", "x"], People.support, ["100000001", "99999999999999999999"], "invalid amount "),
    ])
    func outOfRangeIsTheRulesRefusalEchoingWhatWasTyped(arguments: [String], actor: String, values: [String], prefix: String) throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        let before = cli.journalBytes()
        for value in values {
            let result = try cli.run(arguments + [value], as: actor)
            #expect(result.status == 1, "\(value): \(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("creditdesk: " + prefix + value), "\(value): \(result)")
        }
        #expect(cli.journalBytes() == before, "nothing written")
    }

    @Test("R25: a budget volume past the range exits 1 whatever its digits; one that is not a count exits 64")
    func R25_budgetVolumesRefuseAlike() throws {
        let cli = try CLI()
        defer { cli.remove() }
        for count in ["10000001", "99999999999999999", "999999999999999999999"] {
            let result = try cli.run("budget", "--action", "ai_graphic=\(count)", "--catalog", "konfiwear")
            #expect(result.status == 1 && result.stderr.contains("ai_graphic=\(count)"), "\(result)")
        }
        for count in ["-1", "1.5", "ten"] {
            let result = try cli.run("budget", "--action", "ai_graphic=\(count)", "--catalog", "konfiwear")
            #expect(result.status == 64 && result.stderrLines.count == 1 && result.stderr.contains("\"\(count)\""), "\(result)")
        }
    }

    @Test("An empty --as, --now or --ledger is refused (64, one line) instead of falling back to the login name or the clock", arguments: [
        (["balance", "acme", "--as", ""], "--as needs a name"),
        (["charge", "acme", "ai_graphic", "--job", "e-1", "--as", ""], "--as needs a name"),
        (["balance", "acme", "--now", ""], "--now needs a time"),
        (["adjust", "acme", "+5", "--reason", "x", "--now", ""], "--now needs a time"),
        (["workspace", "list", "--ledger", ""], "--ledger needs a directory"),
    ])
    func emptyOptionsAreRefused(arguments: [String], expected: String) throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        let before = cli.journalBytes()
        let result = try cli.run(arguments, as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr == "creditdesk: \(expected)" || result.stderr.hasPrefix("creditdesk: \(expected)"), "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(cli.journalBytes() == before)
    }

    @Test("An empty CREDITDESK_OPERATOR counts as unset, as the contract says: the login name acts")
    func emptyOperatorVariableCountsAsUnset() throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        let result = try cli.run(["balance", "acme"], environment: ["CREDITDESK_OPERATOR": "", "USER": People.owner])
        #expect(result.status == 0, "\(result)")
    }

    @Test("generate refuses up front (64) when the entries cannot hold the workspaces asked for, naming the minimum")
    func generateRefusesTooFewEntriesForTheWorkspaces() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let target = cli.scratch + "/g1"
        let result = try cli.run(["generate", "--ledger", target, "--workspaces", "10", "--entries", "3"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr == "creditdesk: --entries 3 is too few for 10 workspaces: their history takes at least 14 records (the first, the support agents and one per workspace)\n", "\(result)")
        #expect(!FileManager.default.fileExists(atPath: target + "/journal.jsonl"), "nothing written")
        let enough = try cli.run(["generate", "--ledger", cli.scratch + "/g2", "--workspaces", "10", "--entries", "14"])
        #expect(enough.status == 0 && enough.stdout.contains("over 10 workspaces"), "\(enough)")
    }
}
