// Copied from Tests/CreditDeskCLITests/LedgerFixtures.swift; keep in step.
import Foundation
import Testing

/// The people of the konfiwear test ledgers.
enum People {
    static let support = "maria"      // made the ledger: its first support agent
    static let support2 = "tom"       // added with `operator add`
    static let owner = "sam"          // owns acme
    static let member = "lee"         // member of acme
    static let stranger = "eve"       // nobody
}

extension CLI {
    /// A konfiwear ledger with workspace `acme` (Acme Tees, owner sam, member lee, plan pro).
    /// With `credits`, support adjusts the balance to exactly that many (no invoice, no pack).
    func makeAcme(credits: Int64? = nil, owner: String = People.owner, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try ok("init", "--catalog", "konfiwear", as: People.support, sourceLocation: sourceLocation)
        try ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", owner, "--plan", "pro",
               as: People.support, sourceLocation: sourceLocation)
        try ok("workspace", "add-member", "acme", People.member, as: owner, sourceLocation: sourceLocation)
        if let credits, credits > 0 {
            try ok("adjust", "acme", "+\(credits)", "--reason", "test seed", as: People.support, sourceLocation: sourceLocation)
        }
    }

    /// `balance WS --json` as support: the balance object.
    func balance(_ workspace: String = "acme", as actor: String = People.support,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try run("balance", workspace, "--json", as: actor, sourceLocation: sourceLocation)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return try result.jsonObject(sourceLocation: sourceLocation)
    }

    /// `history WS --json` as support, newest first.
    func history(_ workspace: String = "acme", _ extra: [String] = [], as actor: String = People.support,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let result = try run(["history", workspace, "--json"] + extra, as: actor, sourceLocation: sourceLocation)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return try result.jsonArray(sourceLocation: sourceLocation)
    }
}
