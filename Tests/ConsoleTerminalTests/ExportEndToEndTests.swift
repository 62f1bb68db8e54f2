import Foundation
import Testing

/// Export what you see from the real binary: the filtered history written to the file named on
/// the prompt, with the same CSV as `export`; the same name again is kept unless `y` replaces it.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func exportTheFilteredHistoryToAFile() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "40", "--reason", "second gift", "--as", "maria"])
        try ledger.cli(["topup", "acme", "topup_50", "--as", "sam"])
        let file = ledger.directory + "-export.csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "second gift")
        try session.send("/", "gift", "Enter", "e")
        try session.wait(for: "Export what you see")
        try session.send(file, "Enter")
        try session.wait(for: "exported 1 credit entry to")
        let written = try String(contentsOfFile: file, encoding: .utf8)
        let full = try ledger.cli(["export", "acme", "--format", "csv", "--as", "maria"]).split(separator: "\n")
        #expect(written.split(separator: "\n") == [full[0]] + full.filter { $0.contains("second gift") }, "\(written)")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try session.send("e", file, "Enter")
        try session.wait(for: "This file is already there")
        try session.send("n")
        try session.wait(for: "nothing exported")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == written)
        try session.send("/", "BSpace", "BSpace", "BSpace", "BSpace", "Enter", "e", file, "Enter")
        try session.wait(for: "This file is already there")
        try session.send("y")
        try session.wait(for: "exported 3 credit entries to")
        #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 4)
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}

/// Activity's export: every workspace's entries its filter takes, oldest first.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func exportTheFilteredActivityToAJournal() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "create", "zeta", "--name", "Zeta Prints", "--owner", "kim", "--plan", "pro", "--as", "maria"])
        try ledger.cli(["adjust", "zeta", "40", "--reason", "launch gift", "--as", "maria"])
        try ledger.cli(["topup", "zeta", "topup_50", "--as", "kim"])
        let file = ledger.directory + "-activity.journal"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "A activity")
        try session.send("A", "/", "kind:adj", "Enter")
        try session.wait(for: "filter kind:adj")
        try session.send("e", file, "Enter")
        try session.wait(for: "exported 2 credit entries to")
        let written = try String(contentsOfFile: file, encoding: .utf8)
        let welcome = try #require(written.range(of: "welcome credits")), launch = try #require(written.range(of: "launch gift"))
        #expect(welcome.lowerBound < launch.lowerBound, "oldest first: \(written)")
        #expect(!written.contains("topup"), "\(written)")
        #expect(written.contains("workspaces:zeta  40 CR"), "\(written)")
        // q, like Esc, clears the filter first, then leaves Activity, then quits.
        try session.send("q", "q", "q")
        try session.wait(for: "EXITED 0")
    }
}

/// Only a regular file (or a new one) is written: a FIFO, a device or a directory under the name
/// is refused in one line, and the console never blocks on a FIFO no one reads.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func exportRefusesAFIFOADeviceAndADirectoryWithoutBlocking() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let fifo = ledger.directory + "-fifo.csv", device = ledger.directory + "-null.csv", folder = ledger.directory + "-dir.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { for path in [fifo, device, folder] { try? FileManager.default.removeItem(atPath: path) } }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "welcome credits")
        for (path, what) in [(fifo, "is a FIFO"), (device, "is a device"), (folder, "is a directory")] {
            try session.send("e")
            try session.wait(for: "Export what you see")
            try session.send(path, "Enter")
            try session.wait(for: what)
            try session.send("Escape")
            try session.wait(for: "Export what you see", absent: true)
        }
        // The console still answers at once: q leaves the history, q quits.
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func kioskOffersNoExport() throws {
        let session = try TmuxSession("\(Programs.creditdesk) demo --kiosk")
        defer { session.kill() }
        try session.wait(for: "DEMO")
        try session.send("Enter")
        try session.send("e")
        let screen = try session.wait(for: "export is off")
        #expect(!screen.contains("Export what you see"), "\(screen)")
        try session.send("C-x")
        try session.send("q")
        try session.wait(for: "EXITED 0")
    }
}
