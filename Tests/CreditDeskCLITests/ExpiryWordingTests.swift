import Foundation
import Testing

/// S3: an expiry entry says the day the credits left. Plan credits that a renewal expires before
/// their date are said to have expired on the renewal's day, never on a later day in the past tense.
@Suite struct ExpiryWordingTests {
    @Test("S3: a renewal on 2026-01-31 expires plan credits due 2026-02-01: history says 2026-01-31")
    func S3_renewalExpiryIsDatedAtTheRenewal() throws {
        let cli = try CLI(now: "2026-01-01T09:00:00Z")
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "sofia", as: People.support)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: People.support)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-2", as: People.support, environment: ["CREDITDESK_NOW": "2026-01-31T09:00:00Z"])
        let expiry = try #require(try cli.history("acme", ["--kind", "expiry"]).first)
        let reason = try #require(expiry.string("reason"))
        #expect(reason.contains("expired on 2026-01-31") && !reason.contains("expired on 2026-02-01"), "\(reason)")
        let text = try cli.ok("history", "acme", as: People.support)
        #expect(text.stdout.contains("expired on 2026-01-31") && !text.stdout.contains("expired on 2026-02-01"), "\(text)")
    }
}
