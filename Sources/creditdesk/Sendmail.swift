import CreditKit
import Foundation
import LedgerStore

/// Hands alert messages to a sendmail-compatible command named by `CREDITDESK_SENDMAIL`, and
/// records each outcome in `outbox/delivery.log`. The Maildir copy is written either way, and the
/// alert's commit stands whatever the command does: a command that exits
/// without reading, fails or cannot start is a warning and a logged line, never a failure.
enum Sendmail {
    static func deliver(_ message: OutboxMessage, outbox: String) {
        guard let command = RunEnvironment.variables["CREDITDESK_SENDMAIL"], !command.isEmpty else { return }
        guard !message.to.isEmpty else {
            Console.note("alert email \(message.path) has no valid recipient (the owner is not one mail address); not handed to CREDITDESK_SENDMAIL")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var status: Int32 = -1
        var failure: String?
        do {
            try process.run()
            // write(2), not FileHandle.write: a command that exits without reading is an EPIPE here.
            if let code = Console.writeAll(input.fileHandleForWriting.fileDescriptor, Array(message.text.utf8)) {
                failure = "the command did not read the message (\(String(cString: strerror(code))))"
            }
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {
            failure = "\(error)"
        }
        var line = JSONObjectBuilder()
        line.add("time", Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).iso8601)
        line.add("message", message.fileName)
        line.add("to", message.to)
        line.add("command", command)
        line.add("status", Int64(status))
        line.add("error", failure)
        appendLine(line.value.text, to: outbox + "/delivery.log")
        if status != 0 || failure != nil {
            let why = failure.map { "\($0), status \(status)" } ?? "status \(status)"
            Console.warn("alert email for \(message.to) was not accepted by CREDITDESK_SENDMAIL (\(why)); it stays in \(message.path)")
        }
    }

    /// Appends one line to the delivery log, never through a symlink planted at its path.
    private static func appendLine(_ line: String, to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            Console.warn("cannot open \(path): \(String(cString: strerror(errno))); the delivery was not logged")
            return
        }
        defer { close(descriptor) }
        if let code = Console.writeAll(descriptor, Array((line + "\n").utf8)) {
            Console.warn("cannot write \(path): \(String(cString: strerror(code))); the delivery was not logged")
        }
        _ = fsync(descriptor)
    }
}
