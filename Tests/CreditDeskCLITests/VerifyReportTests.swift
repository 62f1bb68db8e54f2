import Foundation
import Testing

/// `verify`'s one line when the ledger checks out (CONTRACT.md, "verify"): the counts it names
/// read as English, one record or workspace in the singular.
@Suite("Verify report")
struct VerifyReportTests {
    @Test("verify names one workspace in the singular and several in the plural")
    func countsReadAsEnglish() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let one = try cli.ok("verify", as: People.support).stdout
        #expect(one.contains(" records, 1 workspace, chain intact"), "\(one)")
        try cli.ok("workspace", "create", "bright", "--name", "Bright", "--owner", People.owner, "--plan", "pro", as: People.support)
        let two = try cli.ok("verify", as: People.support).stdout
        #expect(two.contains(" records, 2 workspaces, chain intact"), "\(two)")
    }
}
