import Foundation

/// A `CREDITDESK_SENDMAIL` command run by `/bin/sh -c` in a process group of its own, reading a
/// pipe on its standard input, its output thrown away. CreditDesk opens every other descriptor
/// close-on-exec (the ledger's lock among them), so none is open in it. Its own group lets a stop reach everything it started:
/// a shell's children would otherwise outlive it and hold the run up.
struct MailerProcess {
    /// The shell's process id, also its process group's.
    let pid: pid_t

    /// How the mailer ended: its exit status, or the signal that ended it (as Foundation's
    /// `Process.terminationStatus` reports it).
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The number the delivery log and warnings give: the exit status or the signal's number.
        var status: Int32 {
            switch self {
            case .exited(let code), .signalled(let code): return code
            }
        }
    }

    /// Starts `command` with the read end `input` of a pipe as its standard input.
    /// Throws the system's words when it cannot start.
    static func start(_ command: String, input: Int32) throws(MailerStartFailure) -> MailerProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own group; the interrupting signals back to their defaults, none blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, number) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        let code = withCStrings(arguments) { argv in
            posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        }
        guard code == 0 else { throw MailerStartFailure(reason: String(cString: strerror(code))) }
        return MailerProcess(pid: pid)
    }

    /// Waits up to `seconds` for the mailer to end, looking every `pollMicroseconds`; stops
    /// waiting early when `interrupted` says so. Nil when it is still running.
    func wait(upTo seconds: Double, interrupted: () -> Bool = { false }) -> Ending? {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while true {
            if let ending = reap(blocking: false) { return ending }
            if DispatchTime.now().uptimeNanoseconds >= deadline || interrupted() { return nil }
            usleep(Self.pollMicroseconds)
        }
    }

    /// Ends the mailer's whole group: SIGTERM, up to `graceSeconds` to finish, then SIGKILL to
    /// whatever is left of it; how it ended. The shell is collected only after the SIGKILL, so its
    /// group's id cannot have been reused by then.
    func stop(graceSeconds: Double) -> Ending {
        kill(-pid, SIGTERM)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(graceSeconds * 1e9)
        while !hasEnded() && DispatchTime.now().uptimeNanoseconds < deadline { usleep(Self.pollMicroseconds) }
        kill(-pid, SIGKILL)
        return reap(blocking: true) ?? .signalled(SIGKILL)
    }

    /// Whether the shell has ended, without collecting it (`waitid` with `WNOWAIT`).
    private func hasEnded() -> Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return true }
        return info._sifields._sigchld.si_pid != 0
    }

    /// How often `wait` looks: a mailer usually ends within milliseconds.
    static let pollMicroseconds: UInt32 = 2_000

    /// Collects the shell's ending, if it has ended (or, `blocking`, once it has).
    private func reap(blocking: Bool) -> Ending? {
        var status: Int32 = 0
        while true {
            let got = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if got == pid { return Self.ending(of: status) }
            if got == -1 && errno == EINTR { continue }
            // 0: still running; -1 (ECHILD): nothing left to collect.
            return got == 0 ? nil : .exited(-1)
        }
    }

    /// Decodes a `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros, which Swift does not import).
    static func ending(of status: Int32) -> Ending {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// Why a mailer could not start, in the system's words.
struct MailerStartFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the command could not start (\(reason))" }
}

/// Calls `body` with `strings` as a NULL-terminated array of C strings (an `argv`).
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
