import CreditKit

/// The auto top-up form (R37): the threshold in credits, a pack from the catalog or a target
/// balance, and the monthly cap in dollars and cents; opened prefilled from the rule in force.
public struct AutoTopUpForm: Hashable, Sendable {
    /// The form's fields, in Tab order; `target` is skipped while a pack is chosen.
    public enum Field: Hashable, Sendable, CaseIterable { case threshold, pack, target, cap }

    public var workspace: String
    public var threshold: NumberField
    /// Index of the chosen pack in the catalog's packs; `packCount` means "a target balance".
    public var choice: Int
    /// How many packs the catalog offers when the form opened (the choice past them is the target).
    public let packCount: Int
    public var target: NumberField
    /// The monthly cap in dollars, cents after a point (`250`, `250.50`).
    public var cap: NumberField
    public var focus: Field = .threshold
    /// Why the last check was refused (the engine's line), shown under the form.
    public var problem: String?

    /// A form for `workspace`, prefilled from `rule` when there is one (else the first pack).
    public init(workspace: String, rule: AutoTopUpRule?, packs: [Catalog.Pack]) {
        self.workspace = workspace
        packCount = packs.count
        threshold = NumberFieldLimits.threshold(rule.map { "\($0.threshold)" } ?? "")
        choice = rule.map { rule in rule.pack.flatMap { id in packs.firstIndex { $0.id == id } } ?? packs.count } ?? 0
        target = NumberFieldLimits.threshold(rule?.targetBalance.map { "\($0)" } ?? "")
        cap = NumberFieldLimits.capDollars(rule.map { Self.dollarsText($0.capCents) } ?? "")
    }

    /// `cents` as the cap field shows it: `250` for whole dollars, else `250.50`, so a rule
    /// confirmed unchanged records the cap it had.
    static func dollarsText(_ cents: Cents) -> String {
        let remainder = cents % 100
        return remainder == 0 ? "\(cents / 100)" : "\(cents / 100).\(remainder < 10 ? "0" : "")\(remainder)"
    }

    /// Whether the rule tops up to a target balance rather than naming a pack.
    public var choosesTarget: Bool { choice >= packCount }

    /// The fields Tab visits now.
    public var fields: [Field] { choosesTarget ? Field.allCases : [.threshold, .pack, .cap] }
}

/// The members' limits form (R40): the workspace's owner and members, one selected, and the
/// monthly limit in credits to give them.
public struct MemberLimitForm: Hashable, Sendable {
    public var workspace: String
    /// The owner first, then the members, as the workspace lists them.
    public var people: [String]
    public var selected = 0
    /// The limit to set, prefilled with the selected person's limit in force.
    public var credits: NumberField
    public var problem: String?

    public init(workspace: String, people: [String], limits: [String: Credits]) {
        self.workspace = workspace
        self.people = people
        credits = NumberFieldLimits.memberLimit(people.first.flatMap { limits[$0] }.map { "\($0)" } ?? "")
    }

    /// The person selected, if the list is not empty.
    public var person: String? { people.indices.contains(selected) ? people[selected] : nil }
}

/// What a rule or limit confirmation shows (R37, R39, R40): what will be recorded, line by line,
/// and the command the confirm button submits, the same one the command line writes.
public struct SettingConfirmation: Hashable, Sendable {
    public var title: String
    public var lines: [String]
    /// The confirm button's word (`Record rule`, `Switch off`).
    public var confirm: String
    public var command: Command
    /// The workspace's balance when it was decided (the dialog shows no balance after: a rule moves no credits).
    public var balance: Credits
}

extension NumberFieldLimits {
    /// Digits of an auto top-up threshold or target balance (R37).
    public static let thresholdDigits = NumberField.digits(for: AutoTopUpPolicy.thresholdMax)
    /// Digits of a monthly cap's dollars, before its point (R37).
    public static let capDollarDigits = NumberField.digits(for: AutoTopUpPolicy.capCentsMax / 100)
    /// Digits of a member's monthly limit (R40).
    public static let memberLimitDigits = NumberField.digits(for: MemberLimitPolicy.creditsMax)

    /// A threshold or target field holding `text`.
    public static func threshold(_ text: String) -> NumberField {
        NumberField(signed: false, digitsMax: thresholdDigits, unit: "credits", text: text)
    }
    /// A monthly cap field, dollars and cents, holding `text`.
    public static func capDollars(_ text: String) -> NumberField {
        NumberField(signed: false, digitsMax: capDollarDigits, unit: "dollars", fractionDigits: 2, text: text)
    }
    /// A member's monthly limit field holding `text`.
    public static func memberLimit(_ text: String) -> NumberField {
        NumberField(signed: false, digitsMax: memberLimitDigits, unit: "credits", text: text)
    }
}

extension AutoTopUpForm {
    /// R37: the engine's range refusals in the form's words (its field labels, not the command
    /// line's `--below`, `--to-balance`, `--monthly-cap`), with the field to focus; nil otherwise.
    static func fieldProblem(_ command: Command, in ledger: LedgerState, context: CommandContext) -> (String, Field)? {
        guard case .failure(let rejection) = Engine.decide(command, in: ledger, context: context) else { return nil }
        let most = AmountFormat.grouped(AutoTopUpPolicy.thresholdMax)
        switch rejection {
        case .autoTopUpThresholdOutOfRange(let threshold):
            return ("\"When available is at or below\" takes 0 to \(most) credits, not \(AmountFormat.grouped(threshold))", .threshold)
        case let .autoTopUpTargetNotAboveThreshold(target, threshold):
            return ("\"Top up to\" must be above \(AmountFormat.grouped(threshold)) and at most \(most) credits, not \(AmountFormat.grouped(target))", .target)
        case .autoTopUpCapOutOfRange(let cap):
            return ("\"Monthly cap\" takes $0.01 to \(AmountFormat.dollars(AutoTopUpPolicy.capCentsMax)), not \(AmountFormat.dollars(cap))", .cap)
        default:
            return nil
        }
    }
}
