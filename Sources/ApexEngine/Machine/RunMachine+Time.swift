import ApexCompiler
import ApexDSL

/// Timers: when a `sleep` fires, and what a fired timer does to its visit.
extension RunMachine {
    /// The `TimerStarted` of a `sleep` visit: `now` plus its duration or seconds, or its `until`
    /// time; an `expression` failure when the value is not a number of seconds (or a duration
    /// such as `"90s"`) or an RFC 3339 time. A time already past fires at once.
    func startSleep(_ index: Int) -> Decision {
        let visit = visits[index]
        let key = visit.record.key
        guard case .sleep(let sleep) = plan[visit.state].action else {
            return failure(index, RunError(type: "expression", message: "step \(key) is not a sleep", step: key, attempt: 1))
        }
        let fireAt: Timestamp
        switch sleep {
        case .duration(let duration):
            fireAt = now.adding(duration.value)
        case .seconds(let template), .until(let template):
            let isUntil = if case .until = sleep { true } else { false }
            let field = isUntil ? "sleep.until" : "sleep"
            let value: JSONValue
            do throws(ExpressionError) {
                value = try template.evaluate(in: context(for: frames[visit.frame].scope))
            } catch {
                return failure(index, expressionError(error, in: field, step: key))
            }
            let time = isUntil ? Self.time(value) : Self.delay(value).map(now.adding)
            guard let time else {
                let wanted = isUntil ? "an RFC 3339 time" : "a number of seconds or a duration"
                let message = "\(field): gives \(value.compactJSON), not \(wanted)"
                return failure(index, RunError(type: "expression", message: message, step: key, attempt: 1))
            }
            fireAt = time
        }
        let timer = TimerName.sleep(key, visit: visit.record.visit)
        return Decision(kind: .timerStarted(timer: timer, fireAt: fireAt),
                        effect: .startTimer(visit: index, timer: timer, fireAt: fireAt, next: .sleeping))
    }

    private static func delay(_ value: JSONValue) -> Duration? {
        if case .string(let text) = value { return try? Duration.parse(text) }
        guard let seconds = value.numberValue, seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        return Duration(milliseconds: max(0, Int64((seconds * 1000).rounded())))
    }

    private static func time(_ value: JSONValue) -> Timestamp? {
        value.stringValue.flatMap(Timestamp.init(rfc3339:))
    }

    /// A `TimerFired`: the run times out, a `sleep` completes, a `wait` fails with `timeout`, or
    /// a back-off ends. A timer that was dropped (its visit ended or was cancelled) or has
    /// already fired is ignored; one never started is corrupt history.
    mutating func timerFired(_ id: String, seq: Int) throws(EngineFault) {
        guard let entry = timers[id] else { throw .fatal("event \(seq): TimerFired \(id), but no such timer was started") }
        guard entry.isPending else { return }
        timers[id]?.isPending = false
        guard let index = entry.owner else {
            timedOut = true
            return
        }
        visits[index].timers.removeAll { $0 == id }
        let visit = visits[index]
        let state = plan[visit.state]
        switch visit.phase {
        case .sleeping:
            setPhase(index, .completing(output: .null, assignments: nil, target: state.onCompleted))
        case .waiting(let signal):
            let limit = state.timeout.map { " within \($0)" } ?? ""
            let error = RunError(type: "timeout", message: "no signal \"\(signal)\" arrived\(limit)", step: visit.record.key, attempt: 1)
            setPhase(index, .failing(error))
        case .backoff(let failed, _, _):
            setPhase(index, .retrying(attempt: failed + 1))
        case .suspended(let attempt, let signal, _, _):
            visits[index].answer = ["signal": .string(signal), "timed_out": true]
            setPhase(index, .retrying(attempt: attempt + 1))
        default:
            break
        }
    }
}
