/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so that a
/// simulated scenario can be replayed from its seed alone.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// A value derived from `seed` and `text`, the same on every call (a scripted outcome).
    public static func hash(_ seed: UInt64, _ text: String) -> UInt64 {
        var generator = SeededRandom(seed: seed)
        var value = generator.next()
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return SeededRandom(seed: value).state &+ value
    }
}
