import Foundation

/// The delivery ids a server process has accepted, kept until their timestamp leaves the
/// window (after which a replay fails the timestamp check anyway), plus a margin for clock steps.
///
/// Bounded: when ``capacity`` deliveries are remembered and none has expired, new deliveries
/// are refused (503) rather than an id forgotten early, which would let its replay through.
/// Only signed deliveries are remembered, so only holders of a secret can fill it.
/// The memory is per process: servers behind a load balancer do not share it.
actor DeliveryMemory {
    enum Outcome: Equatable { case new, replayed, full }

    private struct Key: Hashable {
        var namespace: String
        var delivery: String
    }

    let capacity: Int
    private var expiries: [Key: Date] = [:]
    /// No entry expires before this: a full memory with nothing to evict refuses in O(1).
    private var earliestExpiry = Date.distantFuture
    private var nextSweep = Date.distantPast

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Records `delivery` of `namespace` until `expiry`, unless it is remembered already.
    func remember(namespace: String, delivery: String, until expiry: Date, now: Date) -> Outcome {
        let key = Key(namespace: namespace, delivery: delivery)
        if let known = expiries[key], known > now { return .replayed }
        // A sweep a minute keeps the memory small; a full memory sweeps when something expired.
        if now >= nextSweep || (expiries.count >= capacity && now >= earliestExpiry) { sweep(now: now) }
        guard expiries.count < capacity else { return .full }
        expiries[key] = expiry
        earliestExpiry = min(earliestExpiry, expiry)
        return .new
    }

    /// How many deliveries are remembered.
    var count: Int { expiries.count }

    private func sweep(now: Date) {
        expiries = expiries.filter { $0.value > now }
        earliestExpiry = expiries.values.min() ?? .distantFuture
        nextSweep = now.addingTimeInterval(60)
    }
}
