import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Runs programs for the console's end-to-end tests: the built `creditdesk`, and tmux on a
/// private socket (`tmux -L NAME -f /dev/null`) so nothing touches the user's tmux.
enum Programs {
    /// The `creditdesk` executable built next to this test bundle (or in the source tree's .build).
    static let creditdesk: String = {
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders.append(root.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("creditdesk").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        return root.appendingPathComponent(".build/debug/creditdesk").path
    }()

    /// Runs a program to completion and returns its status and its output (standard output and
    /// error). Spawned directly and reaped with `waitpid`, because Foundation's `Process` waits
    /// for descriptors that a daemon it started (the tmux server) keeps open.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let path = NSTemporaryDirectory() + "creditdesk-out-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        // A clean signal state: the test runner's threads block signals (SIGWINCH among them)
        // that the console under tmux must receive.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard spawned == 0 else { throw CocoaError(.fileNoSuchFile) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return (exitStatus, String(decoding: data, as: UTF8.self))
    }

    /// Where tmux is, if installed (the end-to-end tests need it).
    static let tmuxPath: String = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux"

    /// Whether tmux is installed.
    static let hasTmux: Bool = FileManager.default.isExecutableFile(atPath: tmuxPath)
}

/// A ledger made with the real command line: workspace `acme` (Pro, owner sam, member lee) with
/// a small balance, and `maria` as support agent.
struct ConsoleLedger {
    static let now = "2026-01-10T09:00:00Z"
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "creditdesk-console-\(UUID().uuidString)"
        let steps: [[String]] = [
            ["init", "--catalog", "konfiwear", "--as", "maria"],
            ["workspace", "create", "acme", "--name", "Acme Tees", "--owner", "sam", "--plan", "pro", "--as", "maria"],
            ["workspace", "add-member", "acme", "lee", "--as", "sam"],
            ["adjust", "acme", "8", "--reason", "welcome credits", "--as", "maria"],
        ]
        for step in steps { try cli(step) }
    }

    /// Runs `creditdesk ARGS` on this ledger at the fixed time.
    @discardableResult
    func cli(_ arguments: [String]) throws -> String {
        let result = try Programs.run(Programs.creditdesk, arguments, environment: [
            "CREDITDESK_LEDGER": directory, "CREDITDESK_NOW": ConsoleLedger.now, "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        if result.status != 0 { Issue.record("creditdesk \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)") }
        return result.output
    }

    /// The balance of `acme` as the command line reads it from the journal.
    func balance() throws -> Int {
        let json = try cli(["balance", "acme", "--json", "--as", "maria"])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["balance"] as? Int) ?? -1
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// One console running in a detached tmux session on its own socket.
final class TmuxSession {
    let socket = "creditdesk-test-\(UUID().uuidString.prefix(8))"

    /// Starts `command` in an 80×24 (or given) pane with a pinned terminal and locale.
    init(_ command: String, width: Int = 80, height: Int = 24) throws {
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                  "-e", "TERM=tmux-256color", "-e", "LANG=C.UTF-8", "-e", "TZ=UTC", "-e", "SWIFT_BACKTRACE=interactive=no",
                  "\(command); echo EXITED $?; sleep 30"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Programs.run(Programs.tmuxPath, ["-L", socket, "-f", "/dev/null"] + arguments).output
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `C-c`, or literal text).
    func send(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

    /// The pane's text (with colour escapes when `escapes`).
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []))
    }

    /// Polls the pane until `text` shows (or, with `absent`, until it is gone); fails after `timeout`.
    @discardableResult
    func wait(for text: String, absent: Bool = false, timeout: Double = 10,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if screen.contains(text) != absent { return screen }
            usleep(20_000)
        }
        Issue.record("waited \(timeout) s for \(absent ? "absence of " : "")\"\(text)\"; the pane shows:\n\(screen)", sourceLocation: sourceLocation)
        return screen
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    func kill() { _ = try? tmux(["kill-server"]) }
}
