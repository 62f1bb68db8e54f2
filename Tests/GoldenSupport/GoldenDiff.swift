/// A line diff of a golden and the output now, short enough to read in a test failure.
///
/// Lines longer than `wrapWidth` (a command's one-line JSON) are cut after each comma first, so a
/// changed value shows as one changed piece rather than one changed 600-character line.
enum GoldenDiff {
    /// Unchanged lines shown around each change.
    static let contextLines = 2
    /// Lines longer than this are cut after each comma before diffing.
    static let wrapWidth = 100
    /// Changed lines shown at most; the rest is counted.
    static let shownLinesMax = 120

    /// `- golden` / `+ now` lines with a little context, `…` where unchanged lines are left out.
    static func render(expected: String, actual: String) -> String {
        let old = pieces(expected), new = pieces(actual)
        let script = editScript(old, new)
        guard script.contains(where: { $0.mark != " " }) else {
            return "  (the same lines: they differ in line endings, or in a final newline)"
        }
        return format(script)
    }

    private struct Line { let mark: Character; let text: String }

    /// The text's lines, long ones cut after commas, carriage returns shown, the last marked when it
    /// has no newline.
    private static func pieces(_ text: String) -> [String] {
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.map { $0 == "\r" ? "⟨CR⟩" : String($0) }.joined()
        }
        if lines.last == "" { lines.removeLast() } else if !lines.isEmpty { lines[lines.count - 1] += "⟨no newline⟩" }
        return lines.flatMap { $0.count > wrapWidth ? cut($0) : [$0] }
    }

    private static func cut(_ line: String) -> [String] {
        var parts: [String] = [], current = ""
        for character in line {
            current.append(character)
            if character == "," { parts.append(current); current = "  ↪ " }
        }
        return parts + [current]
    }

    /// A shortest edit script by the longest common subsequence (goldens are small).
    private static func editScript(_ old: [String], _ new: [String]) -> [Line] {
        var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var script: [Line] = [], i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                script.append(Line(mark: " ", text: old[i])); i += 1; j += 1
            } else if i < old.count, j == new.count || common[i + 1][j] >= common[i][j + 1] {
                script.append(Line(mark: "-", text: old[i])); i += 1
            } else {
                script.append(Line(mark: "+", text: new[j])); j += 1
            }
        }
        return script
    }

    /// Changed lines with their context; the unchanged stretches between them as `…`.
    private static func format(_ script: [Line]) -> String {
        let changed = script.indices.filter { script[$0].mark != " " }
        let shown = Set(changed.flatMap { max(0, $0 - contextLines)...min(script.count - 1, $0 + contextLines) })
        var out: [String] = [], skipped = false
        for index in script.indices {
            guard shown.contains(index) else { skipped = true; continue }
            if skipped { out.append("  …"); skipped = false }
            out.append("\(script[index].mark) \(script[index].text)")
        }
        if skipped { out.append("  …") }
        guard out.count > shownLinesMax else { return out.joined(separator: "\n") }
        return (out.prefix(shownLinesMax) + ["  … and \(out.count - shownLinesMax) more lines"]).joined(separator: "\n")
    }
}
