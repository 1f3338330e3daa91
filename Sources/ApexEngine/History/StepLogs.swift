import ApexDSL

/// What multi-turn attempts recorded of each step visit, for `apex show`: the `record` member
/// of each of their checkpoints (an agent's model turns, tool calls, approvals and answers),
/// with the time it was committed, in history order.
public struct StepLogs: Sendable {
    private var entries: [String: [JSONValue]] = [:]

    public init(_ events: [Event] = []) {
        add(events)
    }

    public mutating func add(_ events: [Event]) {
        for event in events {
            guard case .stepCheckpointed(let step, let visit, _, let data) = event.kind, case .object(var record)? = data["record"] else { continue }
            record["at"] = .string(event.at.description)
            entries["\(step)#\(visit)", default: []].append(.object(record))
        }
    }

    /// The records of visit `visit` of step `step` (`each[2]/investigate`), nil for none.
    public func records(step: String, visit: Int) -> [JSONValue]? {
        entries["\(step)#\(visit)"]
    }
}
