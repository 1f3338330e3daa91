import ApexCompiler

/// Where one plan state stands in a run, as its graph shows it (`apex graph --run`, the
/// server's `GET /v1/runs/{id}/graph`).
///
/// `status` is a ``StepStatus`` raw value (`scheduled`, `running`, `waiting`, `completed`,
/// `failed`, `cancelled`, `skipped`) or `retrying`; a state no step has visited yet is
/// `pending`, which ``byState(_:)`` leaves out.
public struct StateProgress: Sendable, Hashable {
    /// The latest visit's status; `retrying` while a later attempt runs after a failed one.
    public var status: String
    /// How many visits the state has had (loops and foreach items each add one).
    public var visits: Int
    /// The attempts of the latest visit.
    public var attempts: Int

    public init(status: String, visits: Int, attempts: Int) {
        self.status = status
        self.visits = visits
        self.attempts = attempts
    }

    /// The progress of a state no step has visited.
    public static let pending = StateProgress(status: "pending", visits: 0, attempts: 0)

    /// The progress of each state some step has visited, from a run's step records in the
    /// order the machine lists them; the latest visit is the one started last (the later
    /// record when two started at the same time).
    public static func byState(_ steps: [StepRecord]) -> [StateID: StateProgress] {
        var latest: [StateID: StepRecord] = [:]
        var visits: [StateID: Int] = [:]
        for step in steps {
            visits[step.stateID, default: 0] += 1
            if let seen = latest[step.stateID], seen.startedAt > step.startedAt { continue }
            latest[step.stateID] = step
        }
        return latest.mapValues { step in
            let retrying = step.status == .running && step.attempts > 1 && step.error != nil
            return StateProgress(status: retrying ? "retrying" : step.status.rawValue, visits: visits[step.stateID] ?? 0, attempts: step.attempts)
        }
    }
}
