import ApexDSL

/// Child runs for an attempt that starts them itself (an agent's `workflow` tools): each call
/// starts a child run on the same engine and drives it to its end, as a `workflow` step does.
public struct ChildRuns: Sendable {
    private let runChild: @Sendable (ChildWorkflowCall, ActivityRequest) async -> ActivityResult

    public init(run: @escaping @Sendable (ChildWorkflowCall, ActivityRequest) async -> ActivityResult) {
        runChild = run
    }

    /// Runs `call` as a child of `request`'s run: `request.idempotencyKey` names the child run,
    /// so a call repeated after a crash attaches to the child it started; `request.context`
    /// evaluates its `input`. The child's output, or `workflow.failed`.
    public func run(_ call: ChildWorkflowCall, for request: ActivityRequest) async -> ActivityResult {
        await runChild(call, request)
    }

    /// For executors used where no engine runs children (tests, benchmarks).
    public static let unavailable = ChildRuns { _, _ in
        .failed(RunError(type: "workflow.failed", message: "child runs are not available here", details: ["retryable": false]), retryAfter: nil)
    }
}
