import Foundation
import Testing

/// CONTRACT.md "Also": `creditdesk --version` prints the version and exits 0.
@Suite("Version")
struct VersionTests {
    @Test("--version prints one MAJOR.MINOR.PATCH line on standard output and exits 0, touching no ledger")
    func versionPrintsAndExitsZero() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try cli.run("--version")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(result.stdoutLines.count == 1, "\(result)")
        let line = result.stdoutLines.first ?? ""
        #expect(line.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(result)")
        #expect(cli.files(in: cli.ledger).isEmpty, "--version created files in the ledger directory")
    }

    @Test("--help names --version")
    func helpNamesVersion() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let help = try cli.run("--help")
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("--version"), "\(help)")
    }
}
