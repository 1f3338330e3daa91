import ApexCompiler
import ApexDSL
import ApexEngine

/// The activity executor the CLI gives the engine: `llm` steps go to their provider, `http`
/// steps to ``HTTPStepExecutor``. `workflow` steps never arrive here: the engine runs child
/// runs itself.
public struct StepActivityExecutor: ActivityExecutor {
    private let llm: LLMActivityExecutor
    private let http: HTTPStepExecutor

    public init(llm: LLMActivityExecutor, http: HTTPStepExecutor = HTTPStepExecutor()) {
        self.llm = llm
        self.http = http
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        switch request.kind {
        case .llm:
            return await llm.execute(request, state: state, secrets: secrets, progress: progress)
        case .http:
            return await http.execute(request, state: state, secrets: secrets)
        default:
            // The engine sends only activities here, and runs `workflow` steps itself.
            preconditionFailure("\(request.kind.rawValue) steps are not run by StepActivityExecutor")
        }
    }
}
