import Foundation
import Testing

/// CONTRACT.md: `--json` leaves an absent key out, never writes it as null. Every `--json`
/// output a fresh workspace can give is read for a null anywhere in it.
@Suite struct JSONHasNoNullTests {
    /// Whether `value` holds a JSON null at any depth.
    static func holdsNull(_ value: Any) -> Bool {
        if value is NSNull { return true }
        if let object = value as? [String: Any] { return object.values.contains(where: holdsNull) }
        if let array = value as? [Any] { return array.contains(where: holdsNull) }
        return false
    }

    @Test("R37: auto-topup show --json with no pending request leaves pending out, not null")
    func R37_autoTopUpShowLeavesAnAbsentPendingOut() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 500)
        for ruled in [false, true] {
            if ruled { try cli.ok("auto-topup", "set", "acme", "--below", "100", "--pack", "topup_50", "--monthly-cap", "100", as: People.owner) }
            let shown = try cli.ok("auto-topup", "show", "acme", "--json", as: People.owner)
            let object = try shown.jsonObject()
            #expect(object["pending"] == nil && !Self.holdsNull(object), "\(shown)")
        }
    }

    @Test("every --json output of a fresh workspace holds no null")
    func everyJSONOutputHoldsNoNull() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 500)
        let commands: [([String], String)] = [
            (["balance", "acme"], People.support), (["workspace", "list"], People.support), (["history", "acme"], People.support),
            (["charge", "acme", "ai_graphic", "--job", "j-1"], People.member), (["charge", "acme", "ai_graphic", "--job", "j-1"], People.member),
            (["job-failed", "acme", "--job", "j-1"], People.member), (["hold", "acme", "ai_graphic", "--job", "j-2"], People.member),
            (["adjust", "acme", "+5", "--reason", "gift"], People.support), (["member-limit", "show", "acme"], People.owner),
            (["auto-topup", "show", "acme"], People.owner), (["budget", "--action", "ai_graphic=5"], People.owner),
            (["verify"], People.support),
        ]
        for (arguments, actor) in commands {
            let result = try cli.run(arguments + ["--json"], as: actor)
            #expect(result.status == 0, "\(result)")
            guard result.status == 0 else { continue }
            #expect(!Self.holdsNull(try result.json()), "\(result)")
        }
    }
}
