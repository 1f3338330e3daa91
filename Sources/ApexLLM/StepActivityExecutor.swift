import ApexCompiler
import ApexDSL
import ApexEngine

/// The activity executor the CLI gives the engine: `llm` steps go to their provider; `http`
/// steps to the HTTP client (not in this build: they fail with a clear, non-retryable error).
/// `workflow` steps never arrive here: the engine runs child runs itself.
public struct StepActivityExecutor: ActivityExecutor {
    private let llm: LLMActivityExecutor

    public init(llm: LLMActivityExecutor) {
        self.llm = llm
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        switch request.kind {
        case .llm:
            return await llm.execute(request, state: state, secrets: secrets, progress: progress)
        default:
            let error = RunError(type: "http.unsupported", message: "\(request.kind.rawValue) steps cannot run in this build of apex yet (the HTTP activity is planned)", step: request.step, attempt: request.attempt)
            return .failed(error, retryAfter: nil)
        }
    }
}
