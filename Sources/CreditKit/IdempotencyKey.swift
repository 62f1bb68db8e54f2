/// R26: the money move an idempotency key (a top-up's payment, an adjustment's or grant's
/// request) was recorded for. The same key for a different move is refused, not answered.
public enum KeyedMove: Hashable, Sendable {
    case topUp(pack: String)
    case adjust(credits: Credits)
    case grant(credits: Credits, source: GrantSource)

    /// The move a recorded entry made with its key; nil for an entry without one.
    public init?(_ entry: Entry) {
        switch entry.kind {
        case .topup where entry.payment != nil: self = .topUp(pack: entry.pack ?? "")
        case .adjustment where entry.request != nil: self = .adjust(credits: entry.credits)
        case .grant where entry.request != nil: self = .grant(credits: entry.credits, source: entry.source ?? .promo)
        default: return nil
        }
    }

    /// Words for a refusal: `topup_200`, `an adjustment of +20 credits`, `a promo grant of 50 credits`.
    public var text: String {
        switch self {
        case .topUp(let pack): return pack
        case .adjust(let credits): return "an adjustment of \(CountText.signedCredits(credits))"
        case let .grant(credits, source): return "a \(source.rawValue) grant of \(CountText.credits(credits))"
        }
    }
}

extension Command {
    /// R26: this command's idempotency key (payment or request id) and the move it asks for.
    public var keyedMove: (key: String, move: KeyedMove)? {
        switch self {
        case let .topUp(_, pack, payment?): return (payment, .topUp(pack: pack))
        case let .adjust(_, amount, _, request?): return (request, .adjust(credits: amount))
        case let .grant(_, amount, source, _, _, request?): return (request, .grant(credits: amount, source: source))
        default: return nil
        }
    }

    /// R26: the refusal when this command reuses `original`'s key for a different move (another
    /// pack, amount or kind); nil when it repeats the same move, which stays already recorded.
    public func keyReuse(of original: Entry) -> Rejection? {
        guard let (key, asked) = keyedMove, let recorded = KeyedMove(original), recorded != asked else { return nil }
        return .idempotencyKeyReused(key: key, seq: original.seq, recorded: recorded, asked: asked)
    }
}
