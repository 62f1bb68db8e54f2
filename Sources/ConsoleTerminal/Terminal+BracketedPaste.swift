import CNcursesw
import ConsoleUI
#if canImport(Glibc)
import Glibc
#endif

/// Bracketed paste (xterm mode 2004): the terminal wraps pasted text in `ESC [ 200 ~` and
/// `ESC [ 201 ~`, curses is taught both as key codes of their own, and everything between them
/// is read as one `.paste`, so a pasted line break or `y` never acts as a key.
extension Terminal {
    /// The key code curses gives for `ESC [ 200 ~`, the start of a paste.
    static let pasteStartKey: Int32 = 0o1401
    /// The key code curses gives for `ESC [ 201 ~`, the end of a paste.
    static let pasteEndKey: Int32 = 0o1402
    /// How long a paste may pause before it is taken as ended without its end marker (ms).
    static let pastePauseMilliseconds: Int32 = 200
    /// The start and end markers, and the sequences that switch the mode on and off.
    static let pasteStart = "\u{1B}[200~", pasteEnd = "\u{1B}[201~"
    static let pasteOn = "\u{1B}[?2004h", pasteOff = "\u{1B}[?2004l"

    /// Asks the terminal to bracket pastes and teaches curses the markers.
    func enableBracketedPaste(_ output: UnsafeMutablePointer<FILE>) {
        _ = define_key(Self.pasteStart, Self.pasteStartKey)
        _ = define_key(Self.pasteEnd, Self.pasteEndKey)
        _ = cd_write_sequence(output, Self.pasteOn)
    }

    /// Puts the terminal back to plain pastes (every way out: quit, signal, Ctrl-Z, crash).
    func disableBracketedPaste(_ output: UnsafeMutablePointer<FILE>) {
        _ = cd_write_sequence(output, Self.pasteOff)
    }

    /// Reads a paste whose start marker curses has matched, up to its end marker (or a pause of
    /// `pastePauseMilliseconds`). Characters past `PasteText.lengthMax` are read and dropped;
    /// function keys inside a paste (an arrow's sequence) are dropped too: nothing in it is a key.
    func readPaste(_ window: UnsafeMutablePointer<WINDOW>) -> TerminalInput {
        var text = ""
        var count = 0
        wtimeout(window, Self.pastePauseMilliseconds)
        while true {
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if Int32(code) == Self.pasteEndKey { break }
                continue
            }
            count += 1
            if count <= PasteText.lengthMax, let scalar = Unicode.Scalar(UInt32(code)) { text.unicodeScalars.append(scalar) }
        }
        return .paste(text)
    }
}
