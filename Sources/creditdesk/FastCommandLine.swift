import LedgerCore

/// The command lines scripts run most (`charge`, `balance`, `history`, `workspace list`), read
/// without swift-argument-parser when they are in their plain form. The parser finds a command's
/// options by reflecting over its type, and building its option types costs a new process most of
/// a millisecond (docs/ARCHITECTURE.md, "Process start"). Anything this reader does not take
/// exactly (help, a misspelt or repeated option, a missing value, a value starting with `-`, `--`,
/// a bad number) returns nil and goes to the parser, so errors, help and the contract stay its.
/// A plain command line runs the same function as the parsed command's `run` (`PlainCommandLine`),
/// and `FastCommandLineTests` checks that both readings give the same values.
enum FastCommandLine {
    /// The command `arguments` (without the program name) ask for, when it is in plain form.
    static func parse(_ arguments: [String]) -> PlainCommandLine? {
        guard let name = arguments.first else { return nil }
        if name == "workspace" {
            guard arguments.count > 1, arguments[1] == "list",
                  let read = read(arguments.dropFirst(2), options: [], positionals: 0) else { return nil }
            return read.commandLine(.workspaceList)
        }
        switch name {
        case "charge": return charge(arguments.dropFirst())
        case "balance": return balance(arguments.dropFirst())
        case "history": return history(arguments.dropFirst())
        default: return nil
        }
    }

    /// `charge WS ACTION --job ID`.
    private static func charge(_ rest: ArraySlice<String>) -> PlainCommandLine? {
        guard let read = read(rest, options: ["--job"], positionals: 2), let job = read.values["--job"] else { return nil }
        return read.commandLine(.charge(workspace: read.positionals[0], action: read.positionals[1], job: job))
    }

    /// `balance WS [--at TIME]`.
    private static func balance(_ rest: ArraySlice<String>) -> PlainCommandLine? {
        guard let read = read(rest, options: ["--at"], positionals: 1) else { return nil }
        return read.commandLine(.balance(workspace: read.positionals[0], at: read.values["--at"]))
    }

    /// `history WS [--limit N]`.
    private static func history(_ rest: ArraySlice<String>) -> PlainCommandLine? {
        guard let read = read(rest, options: ["--limit"], positionals: 1) else { return nil }
        let limit = read.values["--limit"]
        if let limit, Int(limit) == nil || limit.hasPrefix("+") { return nil }
        return read.commandLine(.history(workspace: read.positionals[0], limit: limit))
    }

    /// What one plain command line gave: option values by name, `--json`, and the positionals.
    struct Reading {
        var values: [String: String] = [:]
        var json = false
        var positionals: [String] = []

        /// `command` with the ledger options and `--json` this reading found.
        func commandLine(_ command: PlainCommand) -> PlainCommandLine {
            PlainCommandLine(command: command, ledger: LedgerChoice(ledger: values["--ledger"], actor: values["--as"], now: values["--now"]),
                             json: json)
        }
    }

    /// The options every command here takes, besides its own.
    static let sharedOptions: Set<String> = ["--ledger", "--as", "--now"]

    /// Reads `rest`: each of `options` and `sharedOptions` at most once with a value (`--name
    /// value` or `--name=value`), `--json` at most once, and exactly `positionals` other words.
    /// Nil for anything else.
    static func read(_ rest: ArraySlice<String>, options: Set<String>, positionals: Int) -> Reading? {
        var reading = Reading()
        let known = options.union(sharedOptions)
        var index = rest.startIndex
        while index < rest.endIndex {
            let word = rest[index]
            index += 1
            guard word.hasPrefix("-") else {
                guard plainValue(word) else { return nil }
                reading.positionals.append(word)
                continue
            }
            if word == "--json" {
                guard !reading.json else { return nil }
                reading.json = true
                continue
            }
            let (name, attached) = split(word)
            guard known.contains(name), reading.values[name] == nil else { return nil }
            let value: String
            if let attached {
                value = attached
            } else {
                guard index < rest.endIndex else { return nil }
                value = rest[index]
                index += 1
            }
            guard plainValue(value) else { return nil }
            reading.values[name] = value
        }
        return reading.positionals.count == positionals ? reading : nil
    }

    /// `--name=value` as its two halves; `--name` alone with no value attached.
    private static func split(_ word: String) -> (name: String, value: String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// A value the parser would take as it is: not empty, and not something that looks like an option.
    private static func plainValue(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix("-")
    }
}

/// A command `FastCommandLine` read, with its own arguments: the same values the parser would
/// give the command of that name.
enum PlainCommand: Equatable {
    case charge(workspace: String, action: String, job: String)
    case balance(workspace: String, at: String?)
    case history(workspace: String, limit: String?)
    case workspaceList
}

/// A plain command line: the command, the ledger options and `--json`.
struct PlainCommandLine: Equatable {
    var command: PlainCommand
    var ledger: LedgerChoice
    var json: Bool

    /// What the command does to the ledger, as its parsed form's type says (`LedgerReading`).
    var access: LedgerAccess {
        if case .charge = command { return .write }
        return .read
    }

    /// Runs the command as its parsed form's `run` does.
    func run() throws(CLIFailure) {
        switch command {
        case let .charge(workspace, action, job):
            try CommandRunner.submit(.charge(workspace: workspace, action: action, job: job), ledger: ledger, json: json)
        case let .balance(workspace, at):
            try BalanceCommand.show(workspace, at: at, ledger: ledger, json: json)
        case let .history(workspace, limit):
            try HistoryCommand.show(workspace, kinds: [], limit: limit, ledger: ledger, json: json)
        case .workspaceList:
            try WorkspaceCommand.List.show(ledger: ledger, json: json)
        }
    }
}
