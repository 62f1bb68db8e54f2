/// SGR mouse reports (xterm mode 1006: `ESC [ < b ; x ; y M`, any column) decoded to grid
/// coordinates. curses reads the X10 form (`ESC [ M b x y`, nothing past column 223) itself and
/// SGR only where the terminal's description says so; this reads SGR everywhere else. Pure, so
/// it is tested with raw bytes.
public enum MouseReport {
    /// What a run of bytes read after an escape is.
    public enum Decoded: Hashable, Sendable {
        /// A whole report; `input` is nil for what the console ignores (release, motion, other buttons).
        case report(MouseInput?, length: Int)
        /// The start of a report: read more bytes.
        case incomplete
        /// Not a mouse report.
        case notMouse
    }

    /// The largest coordinate an SGR report may carry; longer numbers are not a report.
    public static let coordinateMax = 9_999
    /// The SGR introducer after ESC: `[<`.
    public static let sgrIntroducer: [UInt8] = [0x1B, 0x5B, 0x3C]

    /// Decodes the bytes at the start of `bytes` (which begin with ESC).
    public static func decode(_ bytes: [UInt8]) -> Decoded {
        if let sgr = prefixState(bytes, sgrIntroducer) { return sgr ? decodeSGR(bytes) : .incomplete }
        return .notMouse
    }

    /// True when `bytes` starts with `introducer`, false when it is a shorter prefix of it, nil otherwise.
    static func prefixState(_ bytes: [UInt8], _ introducer: [UInt8]) -> Bool? {
        let shared = min(bytes.count, introducer.count)
        guard Array(bytes.prefix(shared)) == Array(introducer.prefix(shared)) else { return nil }
        return bytes.count >= introducer.count
    }

    /// `ESC [ < b ; x ; y M` (press) or `… m` (release); x and y count from 1.
    static func decodeSGR(_ bytes: [UInt8]) -> Decoded {
        var numbers: [Int] = [0]
        var digits = 0
        for (index, byte) in bytes.enumerated().dropFirst(sgrIntroducer.count) {
            switch byte {
            case 0x30...0x39:
                numbers[numbers.count - 1] = numbers[numbers.count - 1] * 10 + Int(byte - 0x30)
                digits += 1
                guard numbers[numbers.count - 1] <= coordinateMax else { return .notMouse }
            case 0x3B where digits > 0 && numbers.count < 3:
                numbers.append(0)
                digits = 0
            case 0x4D where digits > 0 && numbers.count == 3, 0x6D where digits > 0 && numbers.count == 3:
                guard numbers[1] >= 1, numbers[2] >= 1 else { return .notMouse }
                let input = byte == 0x4D ? press(button: numbers[0], x: numbers[1] - 1, y: numbers[2] - 1) : nil
                return .report(input, length: index + 1)
            default:
                return .notMouse
            }
        }
        return .incomplete
    }

    /// A button press as the console reads it: button 1 clicks, buttons 4 and 5 are the wheel;
    /// motion (bit 32) and the other buttons are ignored. Modifier bits (4, 8, 16) are dropped.
    static func press(button code: Int, x: Int, y: Int) -> MouseInput? {
        guard code & 32 == 0 else { return nil }
        switch code & ~(4 | 8 | 16) {
        case 0: return .click(x: x, y: y)
        case 64: return .wheelUp(x: x, y: y)
        case 65: return .wheelDown(x: x, y: y)
        default: return nil
        }
    }
}
