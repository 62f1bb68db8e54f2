import Testing
import CreditKit
@testable import ConsoleUI

/// The Activity filter's hint for a key typed without a value suggests a value of that key's
/// kind: `kind:` a kind, `ws:` a workspace, `since:` a date; an unknown key is named as unknown.
@Suite struct ActivityQueryHintTests {
    static let now = Timestamp(iso8601: "2026-01-10T09:00:00Z")!

    @Test(arguments: [("kind:", "kind:adjustment"), ("by:", "by:maria"), ("ws:", "ws:acme"), ("since:", "since:2026-11-01")])
    func anEmptyValueSuggestsOneOfItsKind(key: String, example: String) throws {
        guard case .failure(let problem) = ActivityQuery.parse(key, now: Self.now) else { Issue.record("\(key) was taken"); return }
        #expect(problem.message == "\(key) needs a value, e.g. \(example)")
        if key == "kind:" {
            let suggested = String(example.dropFirst(key.count))
            #expect(EntryKind(rawValue: suggested) != nil, "the suggestion is a kind")
            guard case .success = ActivityQuery.parse(example, now: Self.now) else { Issue.record("the suggestion is refused"); return }
        }
    }

    @Test func anUnknownKeyWithoutAValueIsNamedAsUnknown() {
        guard case .failure(let problem) = ActivityQuery.parse("colour:", now: Self.now) else { Issue.record("taken"); return }
        #expect(problem == .unknownKey("colour:"))
    }
}
