import CNcursesw
import ConsoleUI
#if canImport(Glibc)
import Glibc
#endif

/// The console's terminal: starts curses with `newterm`, draws Grids (only the cells that
/// changed since the last frame), reads keys, mouse and resize, and gives the terminal back on
/// every way out, crashes included. The only code in the project that calls curses.
public final class Terminal {
    private var screen: OpaquePointer?
    private var palette: ColorPalette?
    private var previous: Grid?
    private var started = false
    /// Where curses writes: the terminal, or /dev/null when headless.
    var output: UnsafeMutablePointer<FILE>?
    private let options: TerminalOptions
    /// Whether the last frame had to be drawn in full (first frame, resize), for measurements.
    public private(set) var lastFrameCellsDrawn = 0

    public init(options: TerminalOptions) { self.options = options }

    /// Checks that standard input and output are a terminal curses can address.
    public static func check(term: String?) throws(TerminalError) {
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        let name = term ?? ""
        if name.isEmpty || name == "dumb" || name == "unknown" { throw .dumbTerminal(name) }
    }

    /// Starts curses on the process's terminal with `theme`.
    public func start(term: String, theme: Theme) throws(TerminalError) {
        setlocale(LC_ALL, "")
        guard let opened = newterm(term, cd_stdout(), cd_stdin()) else { throw .unknownTerminal(term) }
        output = cd_stdout()
        try begin(opened, theme: theme)
    }

    /// Starts curses without a terminal (output to /dev/null) at a fixed size, for tests that
    /// draw and read cells back.
    /// With `input`, keys and mouse reports are read from that descriptor (a pipe a test writes).
    public func startHeadless(term: String = "xterm-256color", width: Int, height: Int, theme: Theme,
                              input descriptor: Int32? = nil) throws(TerminalError) {
        setlocale(LC_ALL, "")
        guard let output = fopen("/dev/null", "w"), let input = descriptor.flatMap({ fdopen($0, "r") }) ?? fopen("/dev/null", "r"),
              let opened = newterm(term, output, input) else { throw .unknownTerminal(term) }
        self.output = output
        try begin(opened, theme: theme)
        resize_term(Int32(height), Int32(width))
    }

    private func begin(_ opened: OpaquePointer, theme: Theme) throws(TerminalError) {
        screen = opened
        started = true
        set_term(opened)
        cd_install_crash_handlers()
        cd_install_stop_handlers()
        raw()
        noecho()
        nonl()
        keypad(cd_stdscr(), true)
        curs_set(0)
        set_escdelay(options.escapeDelay)
        if options.mouse {
            mousemask(cd_all_mouse_events(), nil)
            mouseinterval(0)
            if let output { enableSGRMouse(output) }
        }
        if let output {
            enableBracketedPaste(output)
            cd_set_modes_descriptor(fileno(output))
        }
        palette = ColorPalette(theme: theme, mode: options.color)
    }

    /// Gives the terminal back: leaves curses and removes the crash handlers. Safe to call twice.
    public func stop() {
        guard started else { return }
        started = false
        if options.mouse, let output { disableSGRMouse(output) }
        if let output { disableBracketedPaste(output) }
        cd_set_modes_descriptor(-1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        cd_remove_crash_handlers()
    }

    deinit { stop() }

    /// Ctrl-Z, as vim and less do it: gives the terminal back, stops the process group with
    /// SIGTSTP (raw mode keeps the terminal from sending it), and on `fg` takes the terminal
    /// again and forgets the last frame so the next one is drawn in full.
    public func suspend() {
        guard started else { return }
        if let output { disableBracketedPaste(output) }
        endwin()
        cd_suspend_process_group()
        if let output { enableBracketedPaste(output) }
        invalidate()
        doupdate()
    }

    /// Whether colour pairs are drawn (false under `--color never`, `NO_COLOR`, or no colour).
    public var colored: Bool { palette?.colored ?? false }

    /// The terminal's size now.
    public var size: Size { Size(width: Int(cd_cols()), height: Int(cd_lines())) }

    /// The signal that asked the console to stop (SIGTERM, SIGHUP, SIGINT), or 0.
    public var stopSignal: Int32 { cd_stop_signal() }

    /// Draws a frame: only the cells that differ from the previous frame (every cell after a
    /// resize), then one refresh.
    public func draw(_ grid: Grid) {
        guard started, var palette else { return }
        defer { self.palette = palette }
        cd_ensure_crash_handlers()
        let window = cd_stdscr()
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        var drawn = 0
        var cell = cchar_t()
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let now = grid[x, y]
                if now.text.isEmpty { continue }
                if !full, let previous, previous[x, y] == now { continue }
                let (attributes, pair) = palette.style(now.style, on: now.ground)
                var wide = Array(now.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) })
                wide.append(0)
                _ = cd_setcchar(&cell, wide, attributes, pair)
                mvwadd_wch(window, Int32(y), Int32(x), &cell)
                drawn += 1
            }
        }
        lastFrameCellsDrawn = drawn
        previous = grid
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets the previous frame so the next one is drawn in full (after a resize).
    public func invalidate() {
        previous = nil
        clearok(cd_stdscr(), true)
    }

    /// Waits up to `milliseconds` for input; nil on timeout or a signal.
    public func read(timeout milliseconds: Int32) -> TerminalInput? {
        guard started else { return nil }
        let window = cd_stdscr()
        wtimeout(window, milliseconds)
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR { return nil }
        if status == KEY_CODE_YES { return special(Int32(code)) }
        return KeyDecoding.character(UInt32(code)).map { .key($0) }
    }

    /// A function key, the mouse or a resize.
    private func special(_ code: Int32) -> TerminalInput? {
        switch code {
        case KEY_RESIZE:
            invalidate()
            return .resize(width: Int(cd_cols()), height: Int(cd_lines()))
        case Self.sgrMouseKey:
            return readSGRReport(cd_stdscr())
        case Self.pasteStartKey:
            return readPaste(cd_stdscr())
        case Self.pasteEndKey:
            return nil
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let x = Int(event.x), y = Int(event.y)
            let state = mmask_t(event.bstate)
            if state & cd_button4_pressed() != 0 { return .mouse(.wheelUp(x: x, y: y)) }
            if state & cd_button5_pressed() != 0 { return .mouse(.wheelDown(x: x, y: y)) }
            if state & (cd_button1_pressed() | cd_button1_clicked()) != 0 { return .mouse(.click(x: x, y: y)) }
            return nil
        default:
            return KeyDecoding.function(code).map { .key($0) }
        }
    }

    /// The text of a cell as curses holds it (tests read frames back this way).
    public func cellText(x: Int, y: Int) -> String {
        var cell = cchar_t()
        guard mvwin_wch(cd_stdscr(), Int32(y), Int32(x), &cell) != ERR else { return "" }
        var text = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0
        var pair: Int16 = 0
        getcchar(&cell, &text, &attributes, &pair, nil)
        return String(String.UnicodeScalarView(text.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
    }

    /// The colour pair of a cell as curses holds it.
    public func cellPair(x: Int, y: Int) -> Int16 {
        var cell = cchar_t()
        guard mvwin_wch(cd_stdscr(), Int32(y), Int32(x), &cell) != ERR else { return -1 }
        var text = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0
        var pair: Int16 = 0
        getcchar(&cell, &text, &attributes, &pair, nil)
        return pair
    }

    /// The foreground and background colour numbers of a cell as curses holds it (-1: the
    /// terminal's own), for tests that check no coloured text leaves a hole in a bar.
    public func cellColors(x: Int, y: Int) -> (foreground: Int16, background: Int16) {
        var foreground: Int16 = 0, background: Int16 = 0
        pair_content(cellPair(x: x, y: y), &foreground, &background)
        return (foreground, background)
    }

    /// The colour pair a token is drawn with.
    public func pair(of token: StyleToken) -> Int16 { palette?.style(token).1 ?? 0 }
}

/// Terminal key codes to ConsoleUI keys.
enum KeyDecoding {
    /// A character code from `wget_wch`.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 27: return .escape
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26:
            return .control(Character(Unicode.Scalar(code + 96)!))
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A function-key code (`KEY_*`).
    static func function(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default: return nil
        }
    }
}
