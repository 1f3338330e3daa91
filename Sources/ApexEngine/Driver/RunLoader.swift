import ApexCompiler

/// Loads a run: reads its history page by page and replays each page while the next one is
/// being read (the store reads on threads of its own), so that on a machine with two cores a
/// load takes about as long as the longer of reading and replaying, not their sum.
public enum RunLoader {
    /// Events per page: small enough that replay starts after a few milliseconds, large enough
    /// that a 50,000-event history is 25 queries.
    static let pageSize = 2048

    /// The run's whole history and the machine that replaying it gives.
    ///
    /// - Parameter expectedEvents: the run's last seq, as its row says (to size the buffers).
    /// - Throws: what ``Replayer/replay(_:into:)`` throws (non-determinism, corrupt history),
    ///   and the store's errors.
    public static func load(runID: String, plan: Plan, store: any RunStore, expectedEvents: Int = 0) async throws -> (events: [Event], machine: RunMachine) {
        var machine = RunMachine(plan: plan, runID: runID)
        machine.reserveCapacity(events: expectedEvents)
        var events: [Event] = []
        events.reserveCapacity(expectedEvents)
        var page = try await store.events(runID: runID, after: 0, limit: pageSize)
        while true {
            let next: Task<[Event], any Error>? = page.count < pageSize ? nil : Task { [after = page.last?.seq ?? 0] in
                try await store.events(runID: runID, after: after, limit: pageSize)
            }
            do {
                for event in page { try Replayer.replay(event, into: &machine) }
            } catch {
                next?.cancel()
                throw error
            }
            events += page
            guard let next else { return (events, machine) }
            page = try await next.value
        }
    }
}
