import Foundation
import Testing

/// R41 in the real binary: a plan whose catalog rolls unused credits over, renewed by the command
/// line; at 80 columns the workspace screen warns before the rolled-over credits expire, and the
/// history row shows what was carried.
extension ConsoleEndToEndTests {
    /// Sofia's catalog with Pro's unused credits carried over, up to 40, for 60 days.
    static func rolloverCatalog() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Data/catalogs/sofia.json"))
        var catalog = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var plans = try #require(catalog["plans"] as? [[String: Any]])
        let pro = try #require(plans.firstIndex { $0["id"] as? String == "pro" })
        plans[pro]["rollover"] = ["cap_credits": 40, "valid_days": 60]
        catalog["plans"] = plans
        let path = NSTemporaryDirectory() + "creditdesk-rollover-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: catalog).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(.enabled(if: Programs.hasTmux))
    func R41_rolledOverCreditsAboutToExpireLeadTheWorkspaceScreenAt80Columns() throws {
        let catalog = try Self.rolloverCatalog()
        let directory = NSTemporaryDirectory() + "creditdesk-rollover-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: catalog)
            try? FileManager.default.removeItem(atPath: directory)
        }
        func cli(_ arguments: [String], at time: String) throws {
            let result = try Programs.run(Programs.creditdesk, arguments + ["--ledger", directory, "--as", "maria", "--now", time], environment: [
                "LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            ])
            #expect(result.status == 0, "creditdesk \(arguments.joined(separator: " ")): \(result.output)")
        }
        try cli(["init", "--catalog", catalog], at: "2025-10-01T09:00:00Z")
        try cli(["workspace", "create", "acme", "--name", "Acme Images", "--owner", "sam@example.com", "--plan", "pro"], at: "2025-10-15T09:00:00Z")
        try cli(["invoice-paid", "acme", "--invoice", "inv-1"], at: "2025-10-15T09:00:00Z")
        try cli(["invoice-paid", "acme", "--invoice", "inv-2"], at: "2025-11-14T09:00:00Z")

        // 40 credits of the first grant rolled over on Nov 14 and expire on Jan 13: three days on.
        let session = try TmuxSession("\(Programs.creditdesk) --ledger \(directory) --as maria --now 2026-01-10T09:00:00Z")
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        // The rollover's row, not only the title: under load a capture can land mid-frame.
        let screen = try session.wait(for: "40 plan credits of grant #3")
        #expect(screen.contains("40 rolled-over credits expire in 3 days"), "the warning is cut or missing at 80 columns:\n\(screen)")
        let row = screen.split(separator: "\n").first { $0.contains("40 plan credits of grant #3") } ?? ""
        #expect(row.contains("grant") && row.contains("(40)"), "the rollover's row:\n\(screen)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
