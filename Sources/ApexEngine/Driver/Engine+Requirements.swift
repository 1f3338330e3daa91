import ApexCompiler

extension Engine {
    /// What this process lacks to drive run `record` (a provider's key for one of its `llm`
    /// steps, or its pinned children's), as the executors say; empty when nothing is missing.
    ///
    /// `apex resume` refuses such a run before driving it, and a worker leaves it to a process
    /// that has what it needs: a run never records a failed attempt for a missing key.
    public func missingRequirements(forRun record: RunRecord) async throws -> [String] {
        let pins = try await pins(ofRun: record.id)
        var plans = [try await plan(forRun: record)]
        for hash in Set(pins.children.values).sorted() {
            guard let child = try await store.definition(hash: hash) else { continue }
            plans.append(try plan(for: child))
        }
        return executor.missingRequirements(plans: plans, pins: pins)
    }

    /// What run `runID` pinned at its start (read from its `RunStarted`).
    public func pins(ofRun runID: String) async throws -> RunPins {
        guard case .runStarted(_, _, _, _, let pins)? = try await store.events(runID: runID, after: 0, limit: 1).first?.kind else {
            throw StoreError.unknownRun(runID)
        }
        return pins
    }
}
