/// A half-written tail: bytes after the last complete commit, left by a writer that stopped
/// mid-write. It is never parsed as data; a writer cuts it back. (A backend with transactions
/// never has one.)
public struct TornTail: Equatable, Sendable {
    /// Where the incomplete commit starts (a byte offset of the journal).
    public var offset: Int64
    /// How many bytes it holds.
    public var length: Int64
    /// The last whole record before it.
    public var afterSeq: Int64

    public init(offset: Int64, length: Int64, afterSeq: Int64) {
        self.offset = offset; self.length = length; self.afterSeq = afterSeq
    }
}
