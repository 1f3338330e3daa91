import ApexDSL

extension EventKind {
    /// A short description for messages: the type and what the event is about, e.g.
    /// `StepScheduled draft (visit 1)` or `TimerStarted retry:draft#1.2`.
    public var summary: String {
        switch self {
        case .runStarted(let workflow, _, _, _, _): "RunStarted \(workflow)"
        case .stepScheduled(let step, let visit, let attempt, _): "StepScheduled \(step) (\(Self.visit(visit, attempt)))"
        case .stepStarted(let step, let visit, let attempt, _): "StepStarted \(step) (\(Self.visit(visit, attempt)))"
        case .stepCheckpointed(let step, let visit, let attempt, _): "StepCheckpointed \(step) (\(Self.visit(visit, attempt)))"
        case .stepSuspended(let step, let visit, let attempt, let signal, _): "StepSuspended \(step) (\(Self.visit(visit, attempt))) for signal \(signal)"
        case .stepCompleted(let step, let visit, let attempt, _, _): "StepCompleted \(step) (\(Self.visit(visit, attempt)))"
        case .stepFailed(let step, let visit, let attempt, let error, let retryAt):
            "StepFailed \(step) (\(Self.visit(visit, attempt))): \(error.type)\(retryAt.map { ", retry at \($0)" } ?? "")"
        case .stepSkipped(let step, let visit): "StepSkipped \(step) (visit \(visit))"
        case .timerStarted(let timer, let fireAt): "TimerStarted \(timer) (fires at \(fireAt))"
        case .timerFired(let timer): "TimerFired \(timer)"
        case .signalReceived(let name, _, let signalID): "SignalReceived \(name) (\(signalID))"
        case .signalConsumed(let step, let visit, let signalID): "SignalConsumed \(step) (visit \(visit), signal \(signalID))"
        case .cancelRequested: "CancelRequested"
        case .runCompleted: "RunCompleted"
        case .runFailed(let error): "RunFailed (\(error.type))"
        case .runCancelled: "RunCancelled"
        case .runTimedOut: "RunTimedOut"
        }
    }

    /// The summary, with the event's fields as JSON when `other` has the same summary (so that
    /// two events that differ only in an output or a message read differently).
    func summary(against other: EventKind?) -> String {
        guard let other, other != self, other.summary == summary else { return summary }
        return "\(summary) \(JSONValue.object(.init(uniqueKeysWithValues: fields)).compactJSON)"
    }

    private static func visit(_ visit: Int, _ attempt: Int) -> String {
        attempt == 1 ? "visit \(visit)" : "visit \(visit), attempt \(attempt)"
    }
}
