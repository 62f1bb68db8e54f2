import Testing
@testable import ConsoleUI

/// SGR (1006) mouse reports decoded from raw bytes, as a terminal sends them.
@Suite struct MouseReportTests {
    static func bytes(_ text: String) -> [UInt8] { Array(("\u{1B}" + text).utf8) }

    @Test(arguments: [
        ("[<0;1;1M", MouseInput.click(x: 0, y: 0), 9),
        ("[<0;240;5M", MouseInput.click(x: 239, y: 4), 11),
        ("[<0;1000;70M", MouseInput.click(x: 999, y: 69), 13),
        ("[<64;12;3M", MouseInput.wheelUp(x: 11, y: 2), 11),
        ("[<65;300;30M", MouseInput.wheelDown(x: 299, y: 29), 13),
        ("[<16;5;5M", MouseInput.click(x: 4, y: 4), 10),
    ])
    func pressesDecode(text: String, input: MouseInput, length: Int) {
        #expect(MouseReport.decode(Self.bytes(text)) == .report(input, length: length))
    }

    @Test("a release, motion and the other buttons are whole reports the console ignores")
    func ignoredReports() {
        #expect(MouseReport.decode(Self.bytes("[<0;240;5m")) == .report(nil, length: 11))
        #expect(MouseReport.decode(Self.bytes("[<32;10;5M")) == .report(nil, length: 11))
        #expect(MouseReport.decode(Self.bytes("[<2;10;5M")) == .report(nil, length: 10))
        #expect(MouseReport.decode(Self.bytes("[<1;10;5M")) == .report(nil, length: 10))
    }

    @Test("every prefix of a report asks for more bytes; bytes after a report are not part of it")
    func prefixesAreIncomplete() {
        let report = Self.bytes("[<0;240;5M")
        for count in 1..<report.count {
            #expect(MouseReport.decode(Array(report.prefix(count))) == .incomplete, "prefix \(count)")
        }
        #expect(MouseReport.decode(report + Array("jj".utf8)) == .report(.click(x: 239, y: 4), length: report.count))
    }

    @Test(arguments: ["[A", "x", "[<;1;1M", "[<0;0;5M", "[<0;5;0M", "[<0;5M", "[<0;5;5;5M", "[<0;5;5X", "[<0;99999;5M", "[<a;1;1M"])
    func notAReport(text: String) {
        #expect(MouseReport.decode(Self.bytes(text)) == .notMouse, "\(text)")
    }
}
