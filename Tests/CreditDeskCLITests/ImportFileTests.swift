import Foundation
import Testing

/// Import files as people make them: a byte-order mark, CRLF, RFC 4180 quoting;
/// and every malformed case JSON Lines refuses, CSV refuses too.
@Suite("Import files (RFC 4180)")
struct ImportFileTests {
    static let bom = "\u{FEFF}"

    static func write(_ cli: CLI, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = cli.scratch + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a CSV with a byte-order mark, CRLF and quoted commas, quotes and line breaks imports as RFC 4180 says")
    func csvAsRFC4180() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let csv = Self.bom + "workspace,action,job,outcome,actor\r\n"
            + "acme,ai_graphic,\"j,1\",succeeded,\r\n"
            + "\r\n"
            + "acme,ai_graphic,\"j\"\"2\"\"\",succeeded,lee\r\n"
            + "acme,\"ai\ngraphic\",j-3,succeeded,\r\n"
            + "\"acme\",\"print_file\",\"j-4\",\"succeeded\",\"\"\r\n"
        let file = try Self.write(cli, "events.csv", Array(csv.utf8))
        let report = try cli.ok("import", file, "--json", as: People.support).jsonObject()
        #expect(report.int("events") == 4 && report.int("charged") == 3, "\(report)")
        let jobs = Set(try cli.history().compactMap { $0.string("job") })
        #expect(jobs == ["j,1", "j\"2\"", "j-4"], "\(jobs)")
    }

    @Test("a file that is missing or a folder gets one line naming it and why, exit 64, nothing written and no report")
    func missingFileOrFolderIsOneLine() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        for (path, why) in [(cli.scratch + "/none.csv", "cannot open \(cli.scratch)/none.csv: No such file or directory"),
                            (cli.scratch, "cannot read \(cli.scratch): Is a directory")] {
            let result = try cli.run("import", path, as: People.support)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(why), "\(result)")
            #expect(!result.stderr.contains("line 0") && result.stdout.isEmpty, "\(result)")
        }
        #expect(try cli.journal() == before)
    }

    @Test("a JSON Lines file with a byte-order mark imports")
    func jsonLinesWithBOM() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let lines = Self.bom + "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j1\",\"outcome\":\"succeeded\"}\r\n"
        let file = try Self.write(cli, "events.jsonl", Array(lines.utf8))
        let report = try cli.ok("import", file, "--json", as: People.support).jsonObject()
        #expect(report.int("charged") == 1, "\(report)")
    }

    @Test("a refusal after a quoted line break names the line it is on")
    func lineNumbersCountQuotedLineBreaks() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let csv = "workspace,action,job,outcome\n"
            + "acme,\"ai\r\ngra\nphic\",j-1,succeeded\n"
            + "acme,ai_graphic,j-2,maybe\n"
        let file = try Self.write(cli, "events.csv", Array(csv.utf8))
        let result = try cli.run("import", file, as: People.support)
        #expect(result.status == 64 && result.stderr.contains("line 5:"), "\(result)")
    }

    /// A CSV quoting error: the file, the line it must name and the reason it must give.
    struct QuoteError: Sendable, CustomTestStringConvertible {
        var name: String
        var csv: String
        var line: Int
        var reason: String
        var testDescription: String { name }
    }

    static let quoteErrors: [QuoteError] = [
        QuoteError(name: "an unclosed quote on the first row", csv: "workspace,action,job,outcome\nacme,ai_graphic,\"c5,succeeded\n",
                   line: 2, reason: "a quoted field is not closed"),
        QuoteError(name: "text after a closing quote on line 5",
                   csv: "workspace,action,job,outcome\n" + (1...3).map { "acme,ai_graphic,c\($0),succeeded\n" }.joined()
                       + "acme,ai_graphic,\"x\"y,succeeded\n",
                   line: 5, reason: "text after a closing quote"),
        QuoteError(name: "a quote inside an unquoted field", csv: "workspace,action,job,outcome\nacme,ai_graphic,a\"b,succeeded\n",
                   line: 2, reason: "a quote inside an unquoted field"),
        QuoteError(name: "two unquoted fields with a quote each are not one record",
                   csv: "workspace,action,job,outcome\nacme,ai_graphic,c1,succeeded\nacme,ai_graphic,a\"b,succeeded\nacme,ai_graphic,c\"d,succeeded\n",
                   line: 3, reason: "a quote inside an unquoted field"),
        QuoteError(name: "after a quoted line break, a bad quote names its own line",
                   csv: "workspace,action,job,outcome\nacme,\"ai\ngra\"\"\nphic\",c1,failed\nacme,ai_graphic,\"x\"y,succeeded\n",
                   line: 5, reason: "text after a closing quote"),
        QuoteError(name: "an unclosed quote after a quoted line break names the line it opens on",
                   csv: "workspace,action,job,outcome\nacme,\"ai\ngraphic\",c1,failed\nacme,ai_graphic,\"c2,succeeded\nacme,ai_graphic,c3,succeeded\n",
                   line: 4, reason: "a quoted field is not closed"),
    ]

    @Test("a CSV quoting error names the line it is on and what is wrong with it", arguments: quoteErrors)
    func csvQuoteErrorsNameTheirLineAndReason(_ bad: QuoteError) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        let file = try Self.write(cli, "events.csv", Array(bad.csv.utf8))
        let result = try cli.run("import", file, as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("events.csv line \(bad.line): \(bad.reason)"), "\(result)")
        #expect(try cli.journal() == before)
    }

    /// One malformed case, as JSON Lines and as CSV; both must stop the import at that line.
    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var jsonl: [UInt8]
        var csv: [UInt8]
        var testDescription: String { name }
    }

    static let long = String(repeating: "x", count: 5_000)
    static let header = "workspace,action,job,outcome,time,actor\n"
    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func row(_ text: String) -> [UInt8] { Array((header + text).utf8) }

    static let malformed: [Malformed] = [
        Malformed(name: "invalid UTF-8",
                  jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j") + [0xFF, 0xFE] + json("\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("acme,ai_graphic,j") + [0xFF, 0xFE] + json(",succeeded,,\n")),
        Malformed(name: "a line longer than the limit",
                  jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"\(long)\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("acme,ai_graphic,\"\(long)\",succeeded,,\n")),
        Malformed(name: "an unknown key", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\",\"colour\":\"red\"}\n"),
                  csv: json("workspace,action,job,outcome,colour\nacme,ai_graphic,j,succeeded,red\n")),
        Malformed(name: "a key given twice", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\",\"job\":\"k\",\"outcome\":\"succeeded\"}\n"),
                  csv: json("workspace,action,job,job,outcome\nacme,ai_graphic,j,k,succeeded\n")),
        Malformed(name: "a missing job", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("acme,ai_graphic,,succeeded,,\n")),
        Malformed(name: "an unknown outcome", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"maybe\"}\n"),
                  csv: row("acme,ai_graphic,j,maybe,,\n")),
        Malformed(name: "a time that is not ISO 8601", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\",\"time\":\"yesterday\"}\n"),
                  csv: row("acme,ai_graphic,j,succeeded,yesterday,\n")),
        Malformed(name: "a job id with a C1 control", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\\u009b2J\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("acme,ai_graphic,j\u{9B}2J,succeeded,,\n")),
        Malformed(name: "a job id with a line break", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\\n1\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("acme,ai_graphic,\"j\n1\",succeeded,,\n")),
        Malformed(name: "an actor with a line separator", jsonl: json("{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\",\"actor\":\"lee\\u2028\"}\n"),
                  csv: row("acme,ai_graphic,j,succeeded,,lee\u{2028}\n")),
        Malformed(name: "text after a closing quote", jsonl: json("{\"workspace\":\"acme\"x,\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("\"acme\"x,ai_graphic,j,succeeded,,\n")),
        Malformed(name: "a quote inside an unquoted field", jsonl: json("{\"workspace\":\"ac\"me\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("ac\"me,ai_graphic,j,succeeded,,\n")),
        Malformed(name: "an unclosed quote", jsonl: json("{\"workspace\":\"acme,\"action\":\"ai_graphic\"\n"),
                  csv: row("acme,\"ai_graphic,j,succeeded,,\n")),
        Malformed(name: "an invalid workspace id", jsonl: json("{\"workspace\":\"Acme Tees\",\"action\":\"ai_graphic\",\"job\":\"j\",\"outcome\":\"succeeded\"}\n"),
                  csv: row("Acme Tees,ai_graphic,j,succeeded,,\n")),
    ]

    @Test("every malformed case JSON Lines refuses, CSV refuses too: exit 64, the line named, nothing written", arguments: malformed)
    func csvRefusesWhatJSONLinesRefuses(_ bad: Malformed) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        for (name, bytes) in [("events.jsonl", bad.jsonl), ("events.csv", bad.csv)] {
            let file = try Self.write(cli, name, bytes)
            let result = try cli.run("import", file, as: People.support)
            #expect(result.status == 64, "\(bad.name) in \(name): \(result)")
            #expect(result.stderr.contains("line "), "\(bad.name) in \(name): \(result)")
            #expect(result.stderrLines.count == 1 && steeringCharacters(in: result.stderr).isEmpty, "\(result)")
        }
        #expect(try cli.journal() == before)
    }
}
