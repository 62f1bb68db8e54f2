import Foundation

/// The fixed script the command-line goldens are recorded from: a konfiwear ledger made with a
/// test clock (`init --now`), every command once in text and once with `--json`, the refusals and
/// usage errors of the contract, the reads and exports of the result, then a generated ledger and
/// a small sofia ledger. Step N runs at `--now` = `start` + N minutes, acted by support or an owner.
enum GoldenScript {
    /// One command of the script: its golden's name, who runs it, its arguments and its exit status.
    struct Step {
        let name: String
        let actor: String
        let arguments: [String]
        var status: Int32 = 0
        /// Whether the step takes `--as` and `--now` (not `--version`).
        var clocked = true
        /// A fixed `--now` instead of the script's minute (reads of the sofia ledger, days later).
        var now: String? = nil
    }

    /// The test clock of step 0.
    static let start = (day: "2026-01-10", hour: 9)
    /// Stands for the scratch directory in arguments (the sofia and generated ledgers live there).
    static let scratchToken = "$SCRATCH"

    static let maria = People.support, tom = People.support2, sam = People.owner, gina = "gina"
    static let sofia = ["--ledger", scratchToken + "/sofia"]

    static let steps: [Step] = setup + credits + refusals + reads + others

    static let setup: [Step] = [
        Step(name: "init", actor: maria, arguments: ["init", "--catalog", "konfiwear"]),
        Step(name: "operator-add", actor: maria, arguments: ["operator", "add", tom, "--role", "support"]),
        Step(name: "operator-add-json", actor: maria, arguments: ["operator", "add", "ana", "--role", "support", "--json"]),
        Step(name: "workspace-create", actor: maria,
             arguments: ["workspace", "create", "acme", "--name", "Acme Tees", "--owner", sam, "--plan", "pro"]),
        Step(name: "workspace-create-json", actor: maria,
             arguments: ["workspace", "create", "globex", "--name", "Globex", "--owner", gina, "--plan", "starter", "--trial", "--json"]),
        Step(name: "workspace-add-member", actor: sam, arguments: ["workspace", "add-member", "acme", People.member]),
        Step(name: "workspace-add-member-json", actor: gina, arguments: ["workspace", "add-member", "globex", "gus", "--json"]),
    ]

    static let credits: [Step] = [
        Step(name: "invoice-paid", actor: maria, arguments: ["invoice-paid", "acme", "--invoice", "inv-1"]),
        Step(name: "invoice-paid-repeat", actor: maria, arguments: ["invoice-paid", "acme", "--invoice", "inv-1"]),
        Step(name: "invoice-paid-json", actor: maria, arguments: ["invoice-paid", "acme", "--invoice", "inv-2", "--json"]),
        Step(name: "topup", actor: sam, arguments: ["topup", "acme", "topup_200"]),
        Step(name: "topup-json", actor: sam, arguments: ["topup", "acme", "topup_100", "--json"]),
        Step(name: "topup-by-support", actor: maria, arguments: ["topup", "acme", "topup_50"]),
        Step(name: "topup-payment", actor: sam, arguments: ["topup", "acme", "topup_50", "--payment", "ord-1"]),
        Step(name: "topup-payment-repeat", actor: sam, arguments: ["topup", "acme", "topup_50", "--payment", "ord-1"]),
        Step(name: "topup-payment-repeat-json", actor: sam, arguments: ["topup", "acme", "topup_50", "--payment", "ord-1", "--json"]),
        Step(name: "charge", actor: sam, arguments: ["charge", "acme", "ai_graphic", "--job", "j-1"]),
        Step(name: "charge-repeat", actor: sam, arguments: ["charge", "acme", "ai_graphic", "--job", "j-1"]),
        Step(name: "charge-json", actor: sam, arguments: ["charge", "acme", "print_file", "--job", "j-2", "--json"]),
        Step(name: "job-failed", actor: sam, arguments: ["job-failed", "acme", "--job", "j-1"]),
        Step(name: "job-failed-json", actor: sam, arguments: ["job-failed", "acme", "--job", "j-2", "--json"]),
        Step(name: "job-failed-never-charged", actor: sam, arguments: ["job-failed", "acme", "--job", "j-3"]),
        Step(name: "clone", actor: sam, arguments: ["clone", "acme", "design", "d-9"]),
        Step(name: "clone-repeat", actor: sam, arguments: ["clone", "acme", "design", "d-9"]),
        Step(name: "clone-json", actor: sam, arguments: ["clone", "acme", "fabric", "f-1", "--json"]),
        Step(name: "copilot", actor: sam, arguments: ["copilot", "acme", "--messages", "3"]),
        Step(name: "copilot-json", actor: sam, arguments: ["copilot", "acme", "--messages", "2", "--json"]),
        Step(name: "adjust", actor: maria, arguments: ["adjust", "acme", "-10", "--reason", "duplicate upload"]),
        Step(name: "adjust-json", actor: tom, arguments: ["adjust", "acme", "+25", "--reason", "goodwill", "--json"]),
        Step(name: "grant", actor: maria, arguments: ["grant", "acme", "20", "--kind", "promo", "--reason", "launch week"]),
        Step(name: "grant-json", actor: maria, arguments: ["grant", "globex", "15", "--kind", "trial", "--reason", "trial boost", "--json"]),
        Step(name: "adjust-request", actor: maria, arguments: ["adjust", "acme", "+7", "--reason", "ticket 42", "--request", "t-42"]),
        Step(name: "adjust-request-repeat", actor: maria, arguments: ["adjust", "acme", "+7", "--reason", "ticket 42", "--request", "t-42"]),
        Step(name: "grant-request-json", actor: maria,
             arguments: ["grant", "acme", "5", "--kind", "promo", "--reason", "survey", "--request", "s-1", "--json"]),
        Step(name: "plan", actor: sam, arguments: ["plan", "acme", "enterprise"]),
        Step(name: "plan-json", actor: gina, arguments: ["plan", "globex", "pro", "--json"]),
        Step(name: "trial", actor: gina, arguments: ["trial", "globex", "end"]),
        Step(name: "trial-json", actor: gina, arguments: ["trial", "globex", "start", "--json"]),
        Step(name: "cancel", actor: gina, arguments: ["cancel", "globex"]),
        Step(name: "cancel-json", actor: maria, arguments: ["cancel", "globex", "--json"]),
        Step(name: "import", actor: maria, arguments: ["import", scratchToken + "/usage.jsonl"]),
        Step(name: "import-json", actor: maria, arguments: ["import", scratchToken + "/usage.csv", "--json"]),
    ]

    static let refusals: [Step] = [
        Step(name: "refused-insufficient", actor: gina, arguments: ["clone", "globex", "product", "p-1"], status: 1),
        Step(name: "refused-insufficient-json", actor: gina, arguments: ["clone", "globex", "product", "p-1", "--json"], status: 1),
        Step(name: "refused-not-permitted", actor: sam, arguments: ["adjust", "acme", "+5", "--reason", "mine"], status: 1),
        Step(name: "refused-unknown-workspace", actor: maria, arguments: ["balance", "initech"], status: 1),
        Step(name: "refused-unknown-pack", actor: sam, arguments: ["topup", "acme", "topup_7"], status: 1),
        Step(name: "usage-missing-job", actor: sam, arguments: ["charge", "acme", "ai_graphic"], status: 64),
        Step(name: "usage-unknown-option", actor: sam, arguments: ["balance", "acme", "--colour"], status: 64),
        Step(name: "usage-bad-import-line", actor: maria, arguments: ["import", scratchToken + "/bad.jsonl"], status: 64),
    ]

    static let reads: [Step] = [
        Step(name: "balance", actor: sam, arguments: ["balance", "acme"]),
        Step(name: "balance-json", actor: sam, arguments: ["balance", "acme", "--json"]),
        Step(name: "balance-cancelled-json", actor: gina, arguments: ["balance", "globex", "--json"]),
        Step(name: "history", actor: sam, arguments: ["history", "acme"]),
        Step(name: "history-json", actor: sam, arguments: ["history", "acme", "--json"]),
        Step(name: "history-filtered", actor: maria, arguments: ["history", "acme", "--kind", "charge", "--kind", "refund", "--limit", "3"]),
        Step(name: "workspace-list", actor: maria, arguments: ["workspace", "list"]),
        Step(name: "workspace-list-json", actor: maria, arguments: ["workspace", "list", "--json"]),
        Step(name: "workspace-list-owner", actor: gina, arguments: ["workspace", "list"]),
        Step(name: "budget", actor: maria, arguments: ["budget", "--action", "ai_graphic=50", "--action", "print_file=30", "--plan", "pro"]),
        Step(name: "budget-json", actor: maria,
             arguments: ["budget", "--action", "ai_graphic=50", "--action", "print_file=30", "--plan", "pro", "--json"]),
        Step(name: "budget-workspace", actor: sam, arguments: ["budget", "--workspace", "acme", "--action", "ai_graphic=400"]),
        Step(name: "verify", actor: maria, arguments: ["verify"]),
        Step(name: "verify-json", actor: maria, arguments: ["verify", "--json"]),
        Step(name: "verify-expect-head-gone", actor: maria,
             arguments: ["verify", "--expect-head", "3:" + String(repeating: "0", count: 64)], status: 2),
        Step(name: "usage-verify-bad-head", actor: maria, arguments: ["verify", "--expect-head", "three"], status: 64),
        Step(name: "clock-reset-not-needed", actor: maria, arguments: ["clock", "reset", "--reason", "checked"]),
        Step(name: "export-csv", actor: maria, arguments: ["export", "--format", "csv"]),
        Step(name: "export-jsonl", actor: maria, arguments: ["export", "--format", "jsonl"]),
        Step(name: "export-hledger", actor: maria, arguments: ["export", "--format", "hledger"]),
        Step(name: "export-workspace-csv", actor: sam, arguments: ["export", "acme", "--format", "csv"]),
    ]

    static let others: [Step] = [
        Step(name: "version", actor: maria, arguments: ["--version"], clocked: false),
        Step(name: "generate", actor: maria,
             arguments: ["generate", "--ledger", scratchToken + "/generated", "--workspaces", "3", "--entries", "40", "--seed", "7", "--days", "30"]),
        Step(name: "generate-workspace-list-json", actor: maria,
             arguments: ["workspace", "list", "--ledger", scratchToken + "/generated", "--json"]),
        Step(name: "sofia-init", actor: maria, arguments: ["init", "--catalog", "sofia"] + sofia),
        Step(name: "sofia-workspace-create", actor: maria,
             arguments: ["workspace", "create", "studio", "--name", "Studio Olga", "--owner", "olga", "--plan", "pro"] + sofia),
        Step(name: "sofia-invoice-paid", actor: maria, arguments: ["invoice-paid", "studio", "--invoice", "i-1"] + sofia),
        Step(name: "sofia-topup", actor: "olga", arguments: ["topup", "studio", "pack_100"] + sofia),
        Step(name: "sofia-grant-expiring", actor: maria,
             arguments: ["grant", "studio", "30", "--kind", "promo", "--reason", "spring", "--expires", "2026-01-11T00:00:00Z"] + sofia),
        Step(name: "sofia-charge", actor: "olga", arguments: ["charge", "studio", "image", "--job", "g-1"] + sofia),
        Step(name: "sofia-balance-after-expiry-json", actor: "olga", arguments: ["balance", "studio", "--json"] + sofia,
             now: "2026-01-12T09:00:00Z"),
        Step(name: "sofia-history-after-expiry", actor: "olga", arguments: ["history", "studio"] + sofia, now: "2026-01-12T09:00:00Z"),
    ]

    /// The step's full argument list: the scratch directory filled in, then `--as` and `--now`.
    static func arguments(of step: Step, at index: Int, cli: CLI) -> [String] {
        let arguments = step.arguments.map { $0.replacingOccurrences(of: scratchToken, with: cli.scratch) }
        guard step.clocked else { return arguments }
        return arguments + ["--as", step.actor, "--now", step.now ?? time(ofStep: index)]
    }

    /// `2026-01-10T09:07:00Z` for step 7: one minute a step.
    static func time(ofStep index: Int) -> String {
        let minutes = start.hour * 60 + index
        precondition(minutes < 24 * 60, "the golden script outgrew its day")
        return "\(start.day)T\(twoDigits(minutes / 60)):\(twoDigits(minutes % 60)):00Z"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The usage files `import` reads: JSON Lines and CSV, and one with a bad second line.
    static func writeUsageFiles(into scratch: String) throws {
        let files = [
            "usage.jsonl": """
            {"workspace":"acme","action":"ai_graphic","job":"u-1","outcome":"succeeded","actor":"lee"}
            {"workspace":"acme","action":"ai_vectorize","job":"u-2","outcome":"succeeded"}
            {"workspace":"acme","action":"ai_graphic","job":"u-1","outcome":"failed"}
            {"workspace":"acme","action":"print_file","job":"u-3","outcome":"failed"}

            """,
            "usage.csv": "workspace,action,job,outcome,actor\r\nacme,print_file,u-4,succeeded,lee\r\nacme,ai_graphic,u-2,succeeded,lee\r\n",
            "bad.jsonl": """
            {"workspace":"acme","action":"ai_graphic","job":"u-9","outcome":"succeeded"}
            {"workspace":"acme","action":"ai_graphic","job":"u-10","outcome":"maybe"}

            """,
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: scratch + "/" + name))
        }
    }
}
