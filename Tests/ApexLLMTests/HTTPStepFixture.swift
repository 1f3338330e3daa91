import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation
import Testing

/// An `http` step compiled from YAML, and the attempts to run it with.
struct HTTPStepFixture {
    let state: PlanState

    /// Compiles a one-step workflow whose step `call` has `http:` followed by `fields` (YAML
    /// lines, indented by 6 spaces). `input` is an open object, so fields may read any input.
    init(_ fields: String) throws {
        let yaml = """
        apex: 1
        name: http-test
        input: { type: object }
        steps:
          - id: call
            http:
        \(fields.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
        """
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(yaml.utf8), path: "http-test.yaml"))
        state = try #require(plan.state(forStep: "call"))
    }

    /// Attempt `attempt` of visit `visit`, with `input` as the input root.
    func request(input: JSONValue = [:], visit: Int = 1, attempt: Int = 1, runID: String = "run-1") -> ActivityRequest {
        ActivityRequest(runID: runID, step: "call", stateID: state.id, kind: .http, visit: visit, attempt: attempt, scheduledAt: Timestamp(milliseconds: 0),
                        context: EvaluationContext(roots: ["input": input, "vars": [:], "steps": [:], "run": ["id": .string(runID)]]),
                        timeout: nil, retry: state.retry, idempotencyKey: "\(runID)/call/\(visit)")
    }

    /// The step's `http` fields as parsed.
    var call: HTTPCall {
        get throws {
            guard case .http(let call) = state.action else { throw FixtureError() }
            return call
        }
    }

    struct FixtureError: Error {}
}
