import ApexDSL

/// The signals a run received, kept in order; a `wait` consumes the oldest unconsumed one of its
/// name (FIFO, one per wait), whether it arrived before or after the wait started.
struct SignalInbox: Sendable {
    struct Signal: Sendable {
        let name: String
        let payload: JSONValue
        let id: String
    }

    private(set) var signals: [Signal] = []
    /// Indices of unconsumed signals by name, oldest first.
    private var unconsumed: [String: [Int]] = [:]

    /// Keeps a received signal.
    mutating func receive(_ signal: Signal) {
        unconsumed[signal.name, default: []].append(signals.count)
        signals.append(signal)
    }

    /// The index of the oldest unconsumed signal named `name`.
    func oldest(named name: String) -> Int? { unconsumed[name]?.first }

    /// Marks signal `index` consumed.
    mutating func consume(_ index: Int) {
        unconsumed[signals[index].name]?.removeAll { $0 == index }
    }
}
