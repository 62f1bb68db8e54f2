import Foundation

/// Golden files: expected output kept as files beside the tests and compared byte for byte.
///
/// A golden changes only on purpose: with `CREDITDESK_RECORD_GOLDEN=1` in the environment a check
/// writes the current output instead of comparing (`scripts/record-goldens` does this for every
/// golden and screen snapshot); without it a missing golden fails like a different one.
public enum Golden {
    /// The environment variable that rewrites goldens and snapshots instead of comparing them.
    public static let recordVariable = "CREDITDESK_RECORD_GOLDEN"

    /// True when this run records (the variable is set to anything but empty or `0`).
    public static var isRecording: Bool {
        guard let value = ProcessInfo.processInfo.environment[recordVariable] else { return false }
        return !value.isEmpty && value != "0"
    }

    /// Compares `actual` with the file at `url`. Nil when they are the same bytes (or when recording,
    /// once the file holds `actual`); otherwise why not, with a readable diff, for the test to report.
    public static func check(_ actual: String, against url: URL, recording: Bool = isRecording) -> String? {
        let expected = try? Data(contentsOf: url)
        if let expected, expected == Data(actual.utf8) { return nil }
        if recording { return write(actual, to: url) }
        guard let expected else {
            return "no golden at \(url.path): run scripts/record-goldens (or set \(recordVariable)=1), review the new file, commit it"
        }
        let diff = GoldenDiff.render(expected: String(decoding: expected, as: UTF8.self), actual: actual)
        return "\(url.lastPathComponent) differs from its golden (- golden, + now; \(recordVariable)=1 rewrites it):\n\(diff)"
    }

    /// The files in `folder` (name only) that no test asked for, given the names that were.
    /// When recording they are removed, so a command or screen taken away takes its golden along.
    public static func strays(in folder: URL, expected: Set<String>, recording: Bool = isRecording) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let strays = names.filter { !expected.contains($0) }.sorted()
        guard recording else { return strays }
        for name in strays { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        return []
    }

    private static func write(_ actual: String, to url: URL) -> String? {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url, options: .atomic)
            return nil
        } catch {
            return "cannot record the golden \(url.path): \(error)"
        }
    }
}
