import CreditKit
import Foundation
import LedgerStore

/// Hands alert messages to a sendmail-compatible command named by `CREDITDESK_SENDMAIL`, and
/// records each outcome in `outbox/delivery.log`. The Maildir copy is written either way.
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
            input.fileHandleForWriting.write(Data(message.text.utf8))
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
        if status != 0 {
            Console.note("alert email for \(message.to) was not accepted by CREDITDESK_SENDMAIL (status \(status)); it stays in \(message.path)")
        }
    }

    private static func appendLine(_ line: String, to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        _ = fsync(descriptor)
    }
}
