import CreditKit

/// Copying to the clipboard with OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`), which the terminal
/// (xterm, iTerm2, kitty, WezTerm, tmux with `set-clipboard on`) puts on the local clipboard,
/// over SSH too. Text is never more than `bytesMax`, so no terminal drops it for length.
public enum Clipboard {
    /// The most bytes of text copied at once (xterm takes 100,000 bytes of base64 at most).
    public static let bytesMax = 74_000

    /// The escape sequence that copies `text` (cut to `bytesMax` bytes at a character boundary).
    public static func osc52(_ text: String) -> String {
        var bytes: [UInt8] = []
        for character in text {
            let utf8 = Array(String(character).utf8)
            if bytes.count + utf8.count > bytesMax { break }
            bytes += utf8
        }
        return "\u{1B}]52;c;" + base64(bytes) + "\u{07}"
    }

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line describing an entry for a ticket or a chat:
    /// `#47 2026-01-07T08:00:00Z acme adjustment +25 (balance 867) by maria: print job billed twice`.
    public static func line(_ entry: Entry, catalog: Catalog) -> String {
        var text = "#\(entry.seq) \(entry.time.iso8601) \(entry.workspace ?? "-") \(entry.kind.rawValue)"
        if entry.kind.movesCredits {
            text += " \(AmountFormat.signed(entry.credits))" + (entry.balance.map { " (balance \(AmountFormat.grouped($0)))" } ?? "")
        }
        return text + " by \(entry.actor): \(entry.what(catalog: catalog))"
    }
}

/// `y`, `c` and `H` in an entry's detail: the entry, its job id or its hash to the clipboard.
extension ConsoleState {
    /// Copies what `command` names from `entry`, or says why there is nothing to copy.
    mutating func copyFromDetail(_ command: UICommand, _ entry: Entry) -> [Effect] {
        let text: String
        let what: String
        switch command {
        case .copyEntry: text = Clipboard.line(entry, catalog: ledger.catalog); what = "entry #\(entry.seq)"
        case .copyJob:
            guard let job = entry.job else {
                flash = Flash("entry #\(entry.seq) has no job id \(session.glyphs.dot) y copies the entry", kind: .info)
                return []
            }
            text = job; what = "job \(job)"
        default:
            guard !entry.hash.isEmpty else { return nothingHere(command) }
            text = entry.hash; what = "the hash of entry #\(entry.seq)"
        }
        flash = Flash("copied \(what) to the clipboard (OSC 52)", kind: .success)
        return [.copy(text)]
    }
}
