import ConsoleUI
import Foundation

/// Finds and reads `--theme NAME|PATH`: a path is read as given; a name is looked up in the
/// `Themes/` folder (beside `CREDITDESK_HOME`'s Data, in the resource bundle, or above the
/// binary). `default` falls back to the built-in copy when no file is found.
enum ConsoleThemes {
    static func load(_ option: String?) throws(CLIFailure) -> Theme {
        let requested = option ?? "default"
        if requested.contains("/") || requested.hasSuffix(".theme") {
            guard let text = try? String(contentsOfFile: requested, encoding: .utf8) else {
                throw .usage("cannot read theme file \(requested)")
            }
            let name = URL(fileURLWithPath: requested).deletingPathExtension().lastPathComponent
            return Theme.parse(text, name: name)
        }
        if let folder = themesDirectory(),
           let text = try? String(contentsOfFile: folder + "/" + requested + ".theme", encoding: .utf8) {
            return Theme.parse(text, name: requested)
        }
        if requested == "default" { return .standard }
        throw .usage("unknown theme \"\(requested)\"; shipped themes: \(Theme.shippedNames.joined(separator: ", ")), or give the path of a .theme file")
    }

    /// The folder holding the shipped `.theme` files, if it can be found.
    static func themesDirectory() -> String? {
        let fileManager = FileManager.default
        func hasThemes(_ path: String) -> Bool { fileManager.fileExists(atPath: path + "/default.theme") }
        if let data = RunEnvironment.dataDirectory() {
            let sibling = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("Themes").path
            if hasThemes(sibling) { return sibling }
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Themes").path
            if hasThemes(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
