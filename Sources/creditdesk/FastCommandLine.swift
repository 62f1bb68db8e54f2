import ArgumentParser

/// The command lines scripts run most (`charge`, `balance`, `history`, `workspace list`), read
/// without swift-argument-parser when they are in their plain form. The parser finds a command's
/// options by reflecting over its type, a measurable share of a new process's start
/// (docs/ARCHITECTURE.md, "Process start"). Anything this reader does not take exactly
/// (help, a misspelt or repeated option, a missing value, a value starting with `-`, `--`, a
/// bad number) returns nil and goes to the parser, so errors, help and the contract stay its.
/// Every property of the commands built here is set here: one added to them must be set here too
/// (an option the parser never filled in traps when read), and `FastCommandLineTests` lists it.
enum FastCommandLine {
    /// The command `arguments` (without the program name) ask for, when it is in plain form.
    static func parse(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let name = arguments.first else { return nil }
        if name == "workspace" {
            guard arguments.count > 1, arguments[1] == "list",
                  let read = read(arguments.dropFirst(2), options: [], positionals: 0) else { return nil }
            var command = WorkspaceCommand.List()
            command.ledger = read.ledgerOptions
            command.output = read.outputOptions
            return command
        }
        switch name {
        case "charge": return charge(arguments.dropFirst())
        case "balance": return balance(arguments.dropFirst())
        case "history": return history(arguments.dropFirst())
        default: return nil
        }
    }

    /// `charge WS ACTION --job ID`.
    private static func charge(_ rest: ArraySlice<String>) -> ChargeCommand? {
        guard let read = read(rest, options: ["--job"], positionals: 2), let job = read.values["--job"] else { return nil }
        var command = ChargeCommand()
        command.ledger = read.ledgerOptions
        command.output = read.outputOptions
        command.workspace = read.positionals[0]
        command.action = read.positionals[1]
        command.job = job
        return command
    }

    /// `balance WS [--at TIME]`.
    private static func balance(_ rest: ArraySlice<String>) -> BalanceCommand? {
        guard let read = read(rest, options: ["--at"], positionals: 1) else { return nil }
        var command = BalanceCommand()
        command.ledger = read.ledgerOptions
        command.output = read.outputOptions
        command.workspace = read.positionals[0]
        command.at = read.values["--at"]
        return command
    }

    /// `history WS [--limit N]`.
    private static func history(_ rest: ArraySlice<String>) -> HistoryCommand? {
        guard let read = read(rest, options: ["--limit"], positionals: 1) else { return nil }
        let limit = read.values["--limit"]
        if let limit, Int(limit) == nil || limit.hasPrefix("+") { return nil }
        var command = HistoryCommand()
        command.ledger = read.ledgerOptions
        command.output = read.outputOptions
        command.workspace = read.positionals[0]
        command.kind = []
        command.limit = limit
        return command
    }

    /// What one plain command line gave: option values by name, `--json`, and the positionals.
    struct Reading {
        var values: [String: String] = [:]
        var json = false
        var positionals: [String] = []

        /// `--ledger`, `--as` and `--now`, as the parser would have filled them in.
        var ledgerOptions: LedgerOptions {
            var options = LedgerOptions()
            options.ledger = values["--ledger"]
            options.actor = values["--as"]
            options.now = values["--now"]
            return options
        }

        var outputOptions: OutputOptions {
            var options = OutputOptions()
            options.json = json
            return options
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
