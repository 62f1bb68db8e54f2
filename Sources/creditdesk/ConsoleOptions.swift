import ArgumentParser
import ConsoleTerminal

/// The options of the console (`creditdesk` with no subcommand).
struct ConsoleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A theme: default, light, high-contrast, mono, tradeshow, or the path of a .theme file.", valueName: "name|path"))
    var theme: String?

    @Flag(help: "Draw with ASCII only (also chosen when the locale is not UTF-8).")
    var ascii = false

    @Option(help: ArgumentHelp("Colour: auto (off under NO_COLOR or a terminal without colour), always, never.", valueName: "when"))
    var color: TerminalOptions.ColorMode = .auto

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (selection, copy).")
    var noMouse = false

    @Flag(name: .customLong("read-only"), help: "Browse, search and export only: no key that writes is offered (a wall screen, a trainee).")
    var readOnly = false
}

extension TerminalOptions.ColorMode: ExpressibleByArgument {}
