import ApexCompiler
import ApexDSL
import ApexEngine

/// The activity executor the CLI gives the engine: `llm` steps go to their provider; `http`
/// steps to the HTTP client (not in this build: they fail with a clear, non-retryable error).
/// `workflow` steps never arrive here: the engine runs child runs itself.
///
/// Whatever a call fails with is scrubbed of every secret value and API key before the
/// engine sees it (see ``Redactor``).
public struct StepActivityExecutor: ActivityExecutor {
    private let llm: LLMActivityExecutor
    private let apiKeys: [String]

    /// - Parameters:
    ///   - apiKeys: The providers' keys, masked in errors like secrets are.
    public init(llm: LLMActivityExecutor, apiKeys: [String] = []) {
        self.llm = llm
        self.apiKeys = apiKeys
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        let result: ActivityResult
        switch request.kind {
        case .llm:
            result = await llm.execute(request, state: state, secrets: secrets, progress: progress)
        default:
            let error = RunError(type: "http.unsupported", message: "\(request.kind.rawValue) steps cannot run in this build of apex yet (the HTTP activity is planned)", step: request.step, attempt: request.attempt)
            result = .failed(error, retryAfter: nil)
        }
        guard case .failed(let error, let retryAfter) = result else { return result }
        return .failed(Redactor(values: secrets.allValues + apiKeys).scrub(error), retryAfter: retryAfter)
    }
}
