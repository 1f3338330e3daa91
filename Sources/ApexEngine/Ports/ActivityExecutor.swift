import ApexCompiler
import ApexDSL

/// Runs the calls with side effects (`llm`, `http`, `workflow`) outside deciding. It may run
/// an attempt more than once (after a crash), so calls carry ``ActivityRequest/idempotencyKey``.
///
/// Implementations live in ApexLLM (LLM providers, HTTP) and in the engine (child runs); the
/// engine only knows this protocol.
public protocol ActivityExecutor: Sendable {
    /// Performs one attempt. Cancellation of the calling task cancels the call.
    ///
    /// - Parameters:
    ///   - request: The attempt, with the evaluation roots of its fields (no secrets).
    ///   - state: The step's compiled state (its fields to evaluate).
    ///   - secrets: `secrets.*` values, resolved now and never stored.
    ///   - progress: Where to report live progress (streamed reply text); never stored.
    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult

    /// What this process lacks to make the calls of a run of `plan` with `pins` (a provider's
    /// API key): one line each, naming what to set. Empty (the default) when it lacks nothing.
    /// A process never drives a run it lacks something for, so that no attempt fails for it.
    func missingRequirements(plan: Plan, pins: RunPins) -> [String]
}

extension ActivityExecutor {
    public func missingRequirements(plan: Plan, pins: RunPins) -> [String] { [] }

    /// What this process lacks for a run of these plans (a workflow and its children), each
    /// line once.
    public func missingRequirements(plans: [Plan], pins: RunPins) -> [String] {
        var seen = Set<String>()
        return plans.flatMap { missingRequirements(plan: $0, pins: pins) }.filter { seen.insert($0).inserted }
    }
}

/// What an attempt ended with.
public enum ActivityResult: Sendable, Hashable {
    case completed(output: JSONValue, usage: Usage?)
    /// `retryAfter` is a provider's `retry-after`, which raises the back-off.
    case failed(RunError, retryAfter: Duration?)
    /// The attempt waits for a signal (a tool's approval, a person's answer) after making its
    /// progress durable with a checkpoint: the run waits without holding a process, and the next
    /// attempt, scheduled when a signal of that name arrives (or at `timeout`), gets it in
    /// ``ActivityRequest/answer``.
    case suspended(signal: String, timeout: Duration?)
}

/// The values of `secrets.<NAME>`: from `APEX_SECRET_<NAME>` variables.
public struct Secrets: Sendable {
    private let values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// Every `APEX_SECRET_<NAME>` of `environment`.
    public init(environment: [String: String]) {
        self.init(values: Self.values(inEnvironment: environment))
    }

    /// `NAME` to value for every `APEX_SECRET_<NAME>` of `environment`.
    public static func values(inEnvironment environment: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("APEX_SECRET_") {
            values[String(key.dropFirst("APEX_SECRET_".count))] = value
        }
        return values
    }

    /// The `secrets` root for evaluating a call's fields.
    public var root: JSONValue {
        .object(.init(uniqueKeysWithValues: values.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }

    /// Every secret value, for scrubbing them from messages.
    public var allValues: [String] { Array(values.values) }
}
