#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's words for an errno, as every backend's messages name it.
package enum SystemErrorText {
    /// `strerror(code)`, or `error CODE` when the system has no text for it.
    package static func text(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

extension Double {
    /// Two decimals, without Foundation's formatters.
    package var formatted2: String {
        let hundredths = Int64((self * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
