import ArgumentParser
import CreditKit
import LedgerCore
import LedgerStore

struct BudgetCommand: ParsableCommand, LedgerReading {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Plan a month: credits needed, what the plan grant covers, and the cheapest packs for the rest (R25).",
        discussion: "Example: creditdesk budget --action ai_graphic=50 --action print_file=30 --plan pro")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("A monthly volume, ACTION=COUNT (repeatable).", valueName: "id=count")) var action: [String] = []
    @Option(help: "The plan whose monthly grant counts (starter, pro, enterprise).") var plan: String?
    @Option(help: "Plan for this workspace: its plan and its available balance (less held credits) count.") var workspace: String?
    @Option(help: ArgumentHelp("Price with this catalog (default: the ledger's, else konfiwear).", valueName: "name|path")) var catalog: String?

    func run() throws {
        guard !action.isEmpty else { throw CLIFailure.usage("give at least one --action ID=COUNT, e.g. --action ai_graphic=50") }
        var volumes: [(action: String, count: Int64)] = []
        for text in action {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw CLIFailure.usage("--action \"\(text)\" must be ACTION=COUNT with a whole count, e.g. ai_graphic=50")
            }
            volumes.append((parts[0], try NumberArgument.whole(parts[1], .volume(parts[0]))))
        }
        let (priced, balance, planID) = try pricing()
        switch BudgetPlanner.plan(volumes: volumes, plan: planID, balance: balance, catalog: priced) {
        case .failure(let rejection):
            throw CLIFailure.refused(rejection)
        case .success(let budget):
            Console.print(output.json ? BudgetText.json(budget).text : BudgetText.table(budget, catalog: priced))
        }
    }

    /// The catalog, balance and plan the budget is priced with.
    private func pricing() throws(CLIFailure) -> (Catalog, Credits, String?) {
        if let catalog {
            let path = try RunEnvironment.catalogPath(catalog)
            do { return (try CatalogLoader.load(path: path, checkingText: true).catalog, 0, plan) } catch { throw .ledger(error) }
        }
        if let workspace {
            // R25, R35: the balance counted is the available one (held credits are spoken for),
            // as of now with due expiries out (S3).
            let (opened, ws, _) = try visibleWorkspace(workspace, ledger)
            return (opened.state.catalog, ws.available, plan ?? ws.plan)
        }
        if let opened = try? LedgerBackend.open(try ledger.location(), workspaces: []) { return (opened.state.catalog, 0, plan) }
        let path = try RunEnvironment.catalogPath("konfiwear")
        do { return (try CatalogLoader.load(path: path, checkingText: true).catalog, 0, plan) } catch { throw .ledger(error) }
    }
}

/// How a budget reads, as a table and as JSON.
enum BudgetText {
    static func table(_ budget: BudgetPlanner.Budget, catalog: Catalog) -> String {
        var lines = ["Monthly volumes (\(catalog.name))"]
        for volume in budget.volumes {
            lines.append("  \(volume.action.id.padding(16)) \(AmountFormat.grouped(volume.count).leftPadding(8)) × \(String(volume.action.credits).leftPadding(3)) = \(AmountFormat.grouped(volume.credits).leftPadding(9))")
        }
        lines.append("Credits needed".padding(40) + AmountFormat.grouped(budget.creditsNeeded).leftPadding(9))
        if let plan = budget.plan {
            lines.append("Covered by the \(plan.name) grant (\(plan.monthlyGrant)/month)".padding(40) + AmountFormat.grouped(-budget.coveredByGrant).leftPadding(9))
        }
        if budget.coveredByBalance > 0 {
            lines.append("Covered by the current balance".padding(40) + AmountFormat.grouped(-budget.coveredByBalance).leftPadding(9))
        }
        lines.append("To buy".padding(40) + AmountFormat.grouped(budget.toBuy).leftPadding(9))
        if let packs = budget.packs {
            lines.append("Cheapest packs: \(packs.label): +\(CountText.credits(packs.credits)) for \(AmountFormat.dollars(packs.priceCents)) ($\(AmountFormat.perCredit(priceCents: packs.priceCents, credits: packs.credits))/credit)")
            if budget.baseRateCents > packs.priceCents {
                let saved = budget.baseRateCents - packs.priceCents
                lines.append("  \(AmountFormat.dollars(saved)) less than \(CountText.credits(budget.toBuy)) at the base rate (\(AmountFormat.dollars(budget.baseRateCents)))")
            }
        } else {
            lines.append("Nothing to buy: the grant and balance cover the month.")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ budget: BudgetPlanner.Budget) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("volumes", .array(budget.volumes.map { volume in
            .object([("action", .string(volume.action.id)), ("count", .int(volume.count)), ("credits", .int(volume.credits))])
        }))
        object.add("credits_needed", budget.creditsNeeded)
        object.add("plan", budget.plan?.id)
        object.add("plan_grant", budget.coveredByGrant)
        object.add("from_balance", budget.coveredByBalance)
        object.add("to_buy", budget.toBuy)
        object.add("packs", .array((budget.packs?.packs ?? []).map { item in
            .object([("pack", .string(item.pack.id)), ("count", .int(item.count)),
                     ("credits", .int(item.pack.credits * item.count)), ("price_cents", .int(item.pack.priceCents * item.count))])
        }))
        object.add("pack_credits", budget.packs?.credits ?? 0)
        object.add("price_cents", budget.packs?.priceCents ?? 0)
        object.add("base_rate_cents", budget.baseRateCents)
        return object.value
    }
}
