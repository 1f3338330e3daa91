import ApexDSL
import ApexEngine
import OrderedCollections

/// Compares what a case's run did with what the case expects.
enum ExpectationCheck {
    /// One unmet expectation: a line, and for outputs the expected and actual values as a diff.
    struct Failure: Sendable {
        var message: String
        var diff: String?
    }

    static func failures(of expect: Expectation, in outcome: CaseRunner.Outcome) -> [Failure] {
        var failures = outcome.problems.map { Failure(message: $0) }
        guard let record = outcome.record else { return failures.isEmpty ? [Failure(message: "the run did not start")] : failures }
        // A run that could not go on has said why already.
        if record.status != expect.effectiveStatus, record.status.isFinished || outcome.problems.isEmpty {
            let why = record.error.map { " (\($0.type): \($0.message))" } ?? ""
            failures.append(Failure(message: "status: expected \(expect.effectiveStatus.rawValue), got \(record.status.rawValue)\(why)"))
        }
        if let error = expect.error, record.error?.type != error {
            failures.append(Failure(message: "error: expected \(error), got \(record.error.map { "\($0.type) (\($0.message))" } ?? "none")"))
        }
        let output = record.output ?? .null
        if let expected = expect.output, !expected.equalsDeeply(output) {
            failures.append(Failure(message: "output: not what the case expects", diff: LineDiff.render(expected: expected, actual: output)))
        }
        if let subset = expect.outputContains, !contains(output, subset) {
            failures.append(Failure(message: "output: does not contain what output_contains gives", diff: LineDiff.render(expected: subset, actual: output)))
        }
        let taken = outcome.steps.filter { $0.status != .skipped }.map(\.key)
        if let steps = expect.steps, steps != taken {
            failures.append(Failure(message: "steps: expected \(list(steps)), got \(list(taken))"))
        }
        let attempts = attemptsByStep(outcome.steps)
        for (step, count) in expect.attempts.sorted(by: { $0.key < $1.key }) where attempts[step, default: 0] != count {
            failures.append(Failure(message: "attempts of \(step): expected \(count), got \(attempts[step, default: 0])"))
        }
        for (stub, count) in expect.calls.sorted(by: { $0.key < $1.key }) where outcome.calls[stub, default: 0] != count {
            failures.append(Failure(message: "calls to \(stub): expected \(count), got \(outcome.calls[stub, default: 0])"))
        }
        return failures
    }

    /// Attempts per step key, summed over its visits.
    static func attemptsByStep(_ steps: [StepRecord]) -> OrderedDictionary<String, Int> {
        var attempts: OrderedDictionary<String, Int> = [:]
        for step in steps where step.status != .skipped { attempts[step.key, default: 0] += step.attempts }
        return attempts
    }

    /// Whether `value` has everything `subset` has: an object every key of the subset with a
    /// value that contains the subset's, a list as many elements each containing the subset's,
    /// anything else an equal value.
    static func contains(_ value: JSONValue, _ subset: JSONValue) -> Bool {
        switch (value, subset) {
        case (.object(let fields), .object(let expected)):
            expected.allSatisfy { key, part in fields[key].map { contains($0, part) } ?? false }
        case (.array(let items), .array(let expected)):
            items.count == expected.count && zip(items, expected).allSatisfy { contains($0, $1) }
        default:
            value.equalsDeeply(subset)
        }
    }

    private static func list(_ keys: [String]) -> String { "[" + keys.joined(separator: ", ") + "]" }
}
