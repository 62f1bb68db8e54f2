import Foundation
import Testing

/// `export --out FILE`: a new file (0600) or a regular file it replaces, with what standard output
/// would have had; a FIFO, a device or a directory is refused in one line (64) without blocking.
@Suite struct ExportOutTests {
    @Test("export --out writes a regular file with standard output's text; a FIFO, a device and a directory are refused (64)")
    func exportOutWritesOnlyARegularFile() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let expected = try cli.ok("export", "--format", "csv", as: People.support).stdout
        let file = cli.scratch + "/acme.csv"
        try "old".write(toFile: file, atomically: true, encoding: .utf8)
        let written = try cli.ok("export", "--format", "csv", "--out", file, as: People.support)
        let replaced = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.stdout.isEmpty && replaced == expected)
        let fresh = cli.scratch + "/fresh.csv"
        try cli.ok("export", "--format", "csv", "--out", fresh, as: People.support)
        #expect((try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int) == 0o600)
        #expect(try cli.ok("export", "--format", "csv", "--out", "-", as: People.support).stdout == expected)

        let fifo = cli.scratch + "/fifo.csv", folder = cli.scratch + "/folder.csv", device = cli.scratch + "/null.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
        for (path, what) in [(fifo, "a FIFO"), (folder, "a directory"), (device, "a device")] {
            let refused = try cli.run("export", "--format", "csv", "--out", path, as: People.support)
            #expect(refused.status == 64 && refused.stderrLines.count == 1 && refused.stderr.contains("is \(what), not a regular file"),
                    "\(refused)")
        }
    }
}
