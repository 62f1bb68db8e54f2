import Foundation
import Testing

/// The house style keeps functions short: no function, initializer or subscript in Sources/ runs
/// past `linesMax` lines, from its declaration to its closing brace.
@Suite struct FunctionLengthTests {
    static let linesMax = 70

    /// The package root, found from this file.
    static var root: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url
    }

    /// Each line of `text` with string literals and `//` comments blanked out, so only code's braces count.
    static func codeLines(_ text: String) -> [String] {
        var inBlock = false
        return text.components(separatedBy: "\n").map { line in
            var code = "", inString = false
            var rest = Substring(line)
            while let c = rest.first {
                if inBlock {
                    if rest.hasPrefix("\"\"\"") { inBlock = false; rest = rest.dropFirst(3) } else { rest = rest.dropFirst() }
                } else if inString {
                    if c == "\\" { rest = rest.dropFirst(2); continue }
                    if c == "\"" { inString = false }
                    rest = rest.dropFirst()
                } else if rest.hasPrefix("\"\"\"") {
                    inBlock = true; rest = rest.dropFirst(3)
                } else if rest.hasPrefix("//") {
                    break
                } else {
                    if c == "\"" { inString = true } else { code.append(c) }
                    rest = rest.dropFirst()
                }
            }
            return code
        }
    }

    /// Whether a line of code declares a function, an initializer or a subscript: after any
    /// attributes and modifiers, it starts with `func`, `init` or `subscript`.
    static func declares(_ code: String) -> Bool {
        let modifiers: Set<Substring> = ["public", "private", "fileprivate", "internal", "package", "static", "class", "final",
                                         "override", "mutating", "nonmutating", "nonisolated", "convenience", "required", "@inlinable",
                                         "@discardableResult", "@MainActor", "@Sendable", "private(set)", "@usableFromInline"]
        let words = code.split(separator: " ").drop(while: { modifiers.contains($0) })
        guard let first = words.first else { return false }
        return first == "func" || ["init(", "init?(", "init!(", "init<", "subscript(", "subscript<"].contains(where: { first.hasPrefix($0) })
    }

    /// `(line, length)` of each declaration in `text` longer than `limit` lines.
    static func longFunctions(in text: String, limit: Int) -> [(line: Int, length: Int)] {
        let lines = codeLines(text)
        var found: [(Int, Int)] = []
        for start in lines.indices where declares(lines[start]) {
            var depth = 0, opened = false
            for end in start..<lines.count {
                for c in lines[end] { if c == "{" { depth += 1; opened = true } else if c == "}" { depth -= 1 } }
                if !opened && depth < 0 { break }
                if opened && depth <= 0 {
                    if end - start + 1 > limit { found.append((start + 1, end - start + 1)) }
                    break
                }
                if !opened && end > start + 15 { break }   // a protocol requirement: no body
            }
        }
        return found
    }

    @Test func theCheckFindsALongFunctionAndPassesAShortOne() {
        let body = (0..<80).map { "    let x\($0) = \"}\" // }" }.joined(separator: "\n")
        #expect(Self.longFunctions(in: "func long() {\n\(body)\n}\n", limit: 70).map(\.length) == [82])
        #expect(Self.longFunctions(in: "func short() {\n    let s = \"{{\"\n}\n", limit: 70).isEmpty)
    }

    @Test func noFunctionInSourcesRunsPastTheLimit() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var long: [String] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (line, length) in Self.longFunctions(in: text, limit: Self.linesMax) {
                long.append("\(url.path.dropFirst(sources.path.count + 1)):\(line) runs \(length) lines")
            }
        }
        #expect(long.isEmpty, "functions longer than \(Self.linesMax) lines:\n\(long.sorted().joined(separator: "\n"))")
    }
}
