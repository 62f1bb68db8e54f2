import Glibc
import NIOCore
@testable import PostgresLedger
import Testing

/// A lost connection is named by its innermost cause, in the system's words: never SwiftNIO's
/// call syntax for a socket error.
@Suite struct ConnectionCauseTests {
    @Test("a socket error is named as the system names its errno, not as the call that met it")
    func aSocketErrorIsTheSystemsWords() {
        let reset = IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)")
        #expect(PostgresProblem.cause(of: reset) == String(cString: strerror(ECONNRESET)))
        let lost = PostgresProblem.from(reset, lockSeconds: 10, role: "kim")
        #expect(lost == .connectionLost(why: String(cString: strerror(ECONNRESET))))
        #expect(!lost.description.contains("descriptor:"), "\(lost)")
    }
}
