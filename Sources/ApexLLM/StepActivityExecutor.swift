import ApexCompiler
import ApexDSL
import ApexEngine

/// The activity executor the CLI gives the engine: `llm` steps go to their provider, `http`
/// steps to ``HTTPStepExecutor``, `agent` steps to ``AgentExecutor``. `workflow` steps never arrive here: the engine runs child
/// runs itself.
///
/// Whatever a call fails with is scrubbed of every secret value and API key before the engine
/// sees it (see ``Redactor``): the last line of defence, whatever the executor below did.
public struct StepActivityExecutor: ActivityExecutor {
    private let llm: LLMActivityExecutor
    private let http: HTTPStepExecutor
    private let agent: AgentExecutor
    private let apiKeys: [String]

    /// - Parameters:
    ///   - apiKeys: The providers' keys, masked in errors like secrets are.
    public init(llm: LLMActivityExecutor, http: HTTPStepExecutor = HTTPStepExecutor(), apiKeys: [String] = []) {
        self.llm = llm
        self.http = http
        self.agent = AgentExecutor(llm: llm, http: http)
        self.apiKeys = apiKeys
    }

    public func missingRequirements(plan: Plan, pins: RunPins) -> [String] {
        llm.missingKeys(plan: plan, pins: pins)
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        let result: ActivityResult
        switch request.kind {
        case .llm:
            result = await llm.execute(request, state: state, secrets: secrets, progress: progress)
        case .http:
            result = await http.execute(request, state: state, secrets: secrets)
        case .agent:
            result = await agent.execute(request, state: state, secrets: secrets, progress: progress)
        case .workflow, .sleep, .wait, .set, .switch, .parallel, .foreach, .fail:
            // The engine runs `workflow` steps itself and sends only calls here; a caller that
            // wires this executor up otherwise gets a failed step, not a stopped process.
            return .failed(RunError(type: "\(request.kind.rawValue).failed", message: "\(request.kind.rawValue) steps are not run by StepActivityExecutor",
                                    details: ["retryable": false]), retryAfter: nil)
        }
        guard case .failed(let error, let retryAfter) = result else { return result }
        return .failed(Redactor(values: secrets.allValues + apiKeys).scrub(error), retryAfter: retryAfter)
    }
}
