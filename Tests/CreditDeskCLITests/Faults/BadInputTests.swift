import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Absurd, malformed and enormous input at the command line: each is refused in one line with
/// exit 1 (a rule) or 64 (the command line), never a crash, and the journal is left byte for byte.
@Suite("Bad input at the command line")
struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [[UInt8]]
        var actor: String
        var statuses: Set<Int32>
        var description: String { name }
        init(_ name: String, _ arguments: [String], as actor: String = People.support, _ statuses: Set<Int32> = [1, 64]) {
            self.init(name, arguments.map { Array($0.utf8) }, as: actor, statuses)
        }
        init(_ name: String, _ arguments: [[UInt8]], as actor: String = People.support, _ statuses: Set<Int32> = [1, 64]) {
            self.name = name; self.arguments = arguments; self.actor = actor; self.statuses = statuses
        }
    }

    static let megabyteJob = String(repeating: "j", count: 1 << 20)
    /// The longest single argument Linux passes to a program (MAX_ARG_STRLEN, 32 pages, less the NUL).
    static let longestArgument = String(repeating: "j", count: 131_071)

    static let cases: [Case] = [
        Case("--as= with nothing after it", ["balance", "acme", "--as="], [64]),
        Case("--ledger= with nothing after it", ["charge", "acme", "ai_graphic", "--job", "j", "--ledger="], as: People.member, [64]),
        Case("--now= with nothing after it", ["adjust", "acme", "+5", "--reason", "x", "--now="], [64]),
        Case("adjust beyond 64 bits", ["adjust", "acme", "+99999999999999999999", "--reason", "x"], [1]),
        Case("adjust Int64.max", ["adjust", "acme", "+9223372036854775807", "--reason", "x"], [1]),
        Case("adjust Int64.min", ["adjust", "acme", "-9223372036854775808", "--reason", "x"], [1]),
        Case("adjust -Int64.max", ["adjust", "acme", "-9223372036854775807", "--reason", "x"], [1]),
        Case("adjust a fraction", ["adjust", "acme", "+1.5", "--reason", "x"], [64]),
        Case("adjust in another script's digits", ["adjust", "acme", "+\u{0661}\u{0662}", "--reason", "x"], [64]),
        Case("grant Int64.max", ["grant", "acme", "9223372036854775807", "--kind", "promo", "--reason", "x"], [1]),
        Case("grant beyond 64 bits", ["grant", "acme", "18446744073709551616", "--kind", "promo", "--reason", "x"], [1]),
        Case("copilot Int64.max messages", ["copilot", "acme", "--messages", "9223372036854775807"], as: People.member),
        Case("copilot negative messages", ["copilot", "acme", "--messages", "-5"], as: People.member),
        Case("negative pack", ["topup", "acme", "-5"], as: People.owner),
        Case("negative pack id", ["topup", "acme", "topup_-50"], as: People.owner, [1]),
        Case("unknown pack", ["topup", "acme", "topup_1000000"], as: People.owner, [1]),
        Case("another catalog's pack", ["topup", "acme", "pack_100"], as: People.owner, [1]),
        Case("unknown workspace", ["charge", "nosuch", "ai_graphic", "--job", "j"], as: People.member, [1]),
        Case("unknown action", ["charge", "acme", "ai_everything", "--job", "j"], as: People.member, [1]),
        Case("unknown plan", ["plan", "acme", "platinum"], as: People.owner, [1, 64]),
        Case("refund of a job never charged", ["job-failed", "acme", "--job", "never-charged"], as: People.member, [0, 1]),
        Case("unknown operator acting", ["charge", "acme", "ai_graphic", "--job", "j"], as: "mallory", [1]),
        Case("non-UTF-8 job id", [Array("charge".utf8), Array("acme".utf8), Array("ai_graphic".utf8), Array("--job".utf8), [0x6A, 0xFF, 0xFE]], as: People.member, [64]),
        Case("non-UTF-8 workspace", [Array("charge".utf8), [0x61, 0x63, 0x6D, 0x65, 0xC0, 0x80], Array("ai_graphic".utf8), Array("--job".utf8), Array("j".utf8)], as: People.member, [1, 64]),
        Case("non-UTF-8 reason", [Array("adjust".utf8), Array("acme".utf8), Array("+5".utf8), Array("--reason".utf8), [0xED, 0xA0, 0x80]], [64]),
        Case("non-UTF-8 subcommand", [[0xFF, 0x63, 0x68]], [64]),
        Case("a 128 KB job id", ["charge", "acme", "ai_graphic", "--job", BadInputTests.longestArgument], as: People.member, [1]),
        Case("a 128 KB reason", ["adjust", "acme", "+5", "--reason", BadInputTests.longestArgument], [1]),
        Case("a 128 KB workspace name", ["workspace", "create", "big", "--name", BadInputTests.longestArgument, "--owner", "x", "--plan", "pro"], [1]),
        Case("a job id with a newline", ["charge", "acme", "ai_graphic", "--job", "j\n{\"v\":1}"], as: People.member, [1]),
        Case("a reason with NUL-adjacent control bytes", ["adjust", "acme", "+5", "--reason", "a\u{1}\u{7f}b"], [1]),
    ]

    @Test("absurd, malformed and enormous arguments: one line, exit 1 or 64, no signal, journal unchanged", arguments: BadInputTests.cases)
    func badArgumentsAreRefusedAndWriteNothing(_ input: Case) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = cli.journalBytes()
        let result = try cli.spawn(input.arguments, as: input.actor).wait(timeout: 30)
        guard case .exited(let status) = result.ending else {
            Issue.record("\(input.name): ended by \(result.ending): \(result)")
            return
        }
        #expect(input.statuses.contains(status), "\(input.name): \(result)")
        if status != 0 {
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            // ArgumentParser adds a usage block after the error line for 64; the first line says why.
            #expect(lines.first?.hasPrefix(status == 64 ? "" : "creditdesk: ") == true, "\(input.name): \(result)")
            #expect(status == 64 || lines.count == 1, "\(input.name): \(result)")
            #expect(result.stderr.utf8.count < 4_096, "\(input.name): the refusal echoes the whole input (\(result.stderr.utf8.count) bytes)")
        }
        #expect(cli.journalBytes() == before, "\(input.name) changed the journal: \(result)")
        try cli.expectCleanVerify()
    }

    @Test("an environment variable CreditDesk reads, set to bytes that are not UTF-8: one line, exit 64, nothing written (not read as unset)",
          arguments: ["CREDITDESK_LEDGER", "CREDITDESK_OPERATOR", "CREDITDESK_NOW", "CREDITDESK_LOCK_TIMEOUT", "HOME", "PGPASSWORD"])
    func aVariableThatIsNotUTF8IsABadCommandLine(_ name: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = cli.journalBytes()
        let value: [UInt8] = name == "CREDITDESK_LEDGER" ? Array(cli.ledger.utf8) + [0xFF] : [0x65, 0x76, 0x65, 0xFF]
        for arguments in [["charge", "acme", "ai_graphic", "--job", "j-env"], ["adjust", "acme", "+5", "--reason", "env"]] {
            let result = try cli.spawn(arguments.map { Array($0.utf8) }, as: People.support,
                                       rawEnvironment: [(name, value)]).wait(timeout: 30)
            #expect(result.status == 64, "\(name): \(result)")
            #expect(result.stderr == "creditdesk: environment variable \(name) is not valid UTF-8 text; the command was not run\n", "\(result)")
        }
        #expect(cli.journalBytes() == before)
    }

    @Test("--ledger=, --as= and --now= with nothing after the = get the same one line as an empty value given apart",
          arguments: [(["balance", "acme", "--as="], "--as needs a name"),
                      (["charge", "acme", "ai_graphic", "--job", "j", "--ledger="], "--ledger needs a directory or a postgresql:// URL"),
                      (["history", "acme", "--now="], "--now needs a time (ISO 8601, UTC), such as 2026-11-22T09:30:00Z")])
    func anEmptyAttachedValueIsOneLine(arguments: [String], line: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let result = try cli.run(arguments, as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr == "creditdesk: \(line)\n", "\(result)")
    }

    @Test("a 1 MB job id cannot reach the program at all: the kernel refuses the exec (E2BIG), so 128 KB is the largest tested above")
    func aMegabyteArgumentIsRefusedByTheKernel() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(throws: POSIXError.self) { _ = try cli.spawn(["charge", "acme", "ai_graphic", "--job", BadInputTests.megabyteJob]) }
    }
}
