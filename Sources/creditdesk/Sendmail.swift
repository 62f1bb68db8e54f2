import CreditKit
import Foundation
import LedgerCore

/// Hands alert messages to a sendmail-compatible command named by `CREDITDESK_SENDMAIL`, and
/// records each outcome in `outbox/delivery.log`. The Maildir copy is written either way, and the
/// alert's commit stands whatever the command does: a command that exits
/// without reading, fails or cannot start is a warning and a logged line, never a failure.
/// Every path that commits (one command, `import`, `generate`, the console) delivers through here.
enum Sendmail {
    /// Hands each message to the command, in order; returns the problems met, one line each,
    /// for the caller to show as warnings (standard error, or the console's status line).
    static func deliver(_ messages: [AlertMessage], from ledger: any Ledger) -> [String] {
        if let problems = deliverQueued(messages, from: ledger) { return problems }
        return messages.flatMap { deliver($0, from: ledger) }
    }

    /// Hands one message to the command; returns the problems met (none when it was accepted).
    static func deliver(_ message: AlertMessage, from ledger: any Ledger) -> [String] {
        guard let command = RunEnvironment.variables["CREDITDESK_SENDMAIL"], !command.isEmpty else { return [] }
        let place = LedgerBackend.mailPlace(of: message, in: ledger) ?? (name: "alert #\(message.seq)", path: "alert #\(message.seq)")
        guard !message.to.isEmpty else {
            return ["alert email \(place.path) has no valid recipient (the owner is not one mail address); not handed to CREDITDESK_SENDMAIL"]
        }
        let (status, failure) = pipe(message.text, to: command)
        var line = JSONObjectBuilder()
        line.add("time", Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).iso8601)
        line.add("message", place.name)
        line.add("to", message.to)
        line.add("command", command)
        line.add("status", Int64(status))
        line.add("error", failure)
        var problems = LedgerBackend.mailFolder(of: ledger).map { appendLine(line.value.text, toLogIn: $0) } ?? []
        if let why = refusal(status: status, failure: failure) {
            problems.insert("alert email for \(message.to) was not accepted by CREDITDESK_SENDMAIL (\(why)); it stays in \(place.path)", at: 0)
        }
        return problems
    }

    /// Runs the command with `text` on its standard input; its exit status (-1 when it did not
    /// run) and what went wrong feeding it, if anything. A command that takes longer than
    /// `CREDITDESK_SENDMAIL_TIMEOUT`, or is still running when an interrupt comes, is stopped.
    static func pipe(_ text: String, to command: String) -> (status: Int32, failure: String?) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else {
            return (-1, "the command could not start (\(String(cString: strerror(errno))))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        let bytes = Array(text.utf8)
        let mailer: MailerProcess
        do {
            mailer = try MailerProcess.start(command, input: readEnd)
        } catch {
            close(writeEnd)
            return (-1, error.description)
        }
        var failure: String?
        // A message that fits the pipe whatever its size is written at once, with nobody reading
        // yet; a look at the pipe (its read end is still ours) once the command is done then
        // tells whether it read it all. A longer message is written as the command reads it.
        // write(2), not FileHandle.write: a command that exits without reading is an EPIPE here.
        if let code = Console.writeAll(writeEnd, bytes) {
            failure = "the command did not read the message (\(String(cString: strerror(code))))"
        }
        close(writeEnd)
        let allowed = (try? RunEnvironment.mailerTimeout()) ?? RunEnvironment.mailerTimeoutDefault
        let ending: MailerProcess.Ending
        if let ended = mailer.wait(upTo: allowed, interrupted: { CommitGuard.noted != 0 }) {
            ending = ended
        } else {
            ending = mailer.stop(graceSeconds: mailerStopGraceSeconds)
            failure = CommitGuard.noted != 0
                ? "the command was stopped by the interrupt"
                : "the command did not finish within \(allowed == allowed.rounded() ? String(Int(allowed)) : String(allowed)) s and was stopped"
        }
        if failure == nil, bytes.count <= pipeBytesAtLeast, let left = unreadBytes(readEnd), left > 0 {
            failure = "the command did not read the message (\(left) of its \(bytes.count) bytes left unread)"
        }
        return (ending.status, failure)
    }

    /// The least a pipe holds on Linux (one page): a message this long never blocks its write.
    static let pipeBytesAtLeast = 4096

    /// How long a stopped mailer gets between SIGTERM and SIGKILL (seconds).
    static let mailerStopGraceSeconds: Double = 1

    /// Bytes still waiting in the pipe read by `descriptor` (FIONREAD), or nil when unknown.
    private static func unreadBytes(_ descriptor: Int32) -> Int? {
        guard descriptor >= 0 else { return nil }
        var count: Int32 = 0
        return ioctl(descriptor, UInt(FIONREAD), &count) == 0 ? Int(count) : nil
    }

    /// Why the command did not accept a message, or nil when it did (status 0, fully read).
    static func refusal(status: Int32, failure: String?) -> String? {
        guard status != 0 || failure != nil else { return nil }
        return failure.map { "\($0), status \(status)" } ?? "status \(status)"
    }

    /// Appends one line to `outbox/delivery.log`, never through a symlink planted at the log or
    /// at the outbox itself; returns the problem met, if any.
    private static func appendLine(_ line: String, toLogIn outbox: String) -> [String] {
        let path = outbox + "/delivery.log"
        let folder = open(outbox, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else {
            return ["cannot open \(outbox): \(String(cString: strerror(errno))); the delivery was not logged"]
        }
        defer { close(folder) }
        let descriptor = openat(folder, "delivery.log", O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            return ["cannot open \(path): \(String(cString: strerror(errno))); the delivery was not logged"]
        }
        defer { close(descriptor) }
        if let code = Console.writeAll(descriptor, Array((line + "\n").utf8)) {
            return ["cannot write \(path): \(String(cString: strerror(code))); the delivery was not logged"]
        }
        _ = fsync(descriptor)
        return []
    }
}

