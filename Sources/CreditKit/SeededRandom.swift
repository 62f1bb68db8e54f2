/// SplitMix64: a small, fast, seedable generator, so generated histories are reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`.
    public mutating func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &self) }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int64) -> Bool { int(0...99) < percent }

    /// One element, by weight.
    public mutating func weighted<T>(_ choices: [(T, Int64)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var pick = int(0...(total - 1))
        for (value, weight) in choices {
            if pick < weight { return value }
            pick -= weight
        }
        return choices[choices.count - 1].0
    }

    public mutating func element<T>(_ items: [T]) -> T { items[Int(int(0...Int64(items.count - 1)))] }
}
