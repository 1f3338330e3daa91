import ApexDSL
import ApexEngine
import ApexLLM
import ApexWorkflowFiles

/// Starting a run on the local store, as `apex run` does it: the workflow and its children
/// validated and compiled, the providers' keys checked, the run durably started. Shared by
/// `apex run` and the `run` tool of `apex mcp`.
enum LocalRun {
    /// The workflow file and the children it calls by file; a ``RunRefusal`` when it is
    /// invalid or cannot be read.
    static func bundle(at file: String) throws -> WorkflowFiles.Bundle {
        do {
            return try WorkflowFiles.bundle(at: file)
        } catch let invalid as WorkflowFiles.Invalid {
            let result = invalid.result
            throw RunRefusal(.invalid(DiagnosticReport(path: invalid.path, source: result.source, diagnostics: result.diagnostics,
                                                       truncatedCount: result.truncatedCount)))
        } catch let error as WorkflowSourceError {
            throw RunRefusal(.messages(["error: \(error)"]))
        }
    }

    /// Where `llm` sends llm steps, or why its fixtures file cannot be used.
    static func routing(_ llm: LLMFlags) throws -> LLMRouting {
        do { return try llm.routing() } catch let error as FixtureError {
            throw RunRefusal(.messages(["error: \(error)"]))
        }
    }

    /// Refuses a run that could not call its models (a provider without its key), before
    /// the store is opened.
    static func checkKeys(_ executor: StepActivityExecutor, for bundle: WorkflowFiles.Bundle, routing: LLMRouting) throws(RunRefusal) {
        let missingKeys = executor.missingRequirements(plans: ([bundle.root] + bundle.children).map(\.plan), pins: RunPins(llmRouting: routing.json))
        guard missingKeys.isEmpty else {
            throw RunRefusal(.messages(missingKeys.map { "error: \($0); set it, or run with --mock-llm" }))
        }
    }

    /// Durably starts the run (attaching to the run `runID` names, if it exists); an input
    /// that does not match the workflow, or a run id taken by another workflow, is refused.
    static func start(_ bundle: WorkflowFiles.Bundle, on engine: Engine, input: JSONValue, runID: String?, routing: LLMRouting,
                      taskQueue: String?, settings: Settings) async throws -> Engine.Started {
        do {
            return try await engine.start(bundle.root, children: bundle.children, input: input, runID: runID, llmRouting: routing.json,
                                          taskQueue: try settings.taskQueue(flag: taskQueue, workflow: bundle.root.plan.taskQueue))
        } catch let error as EngineError {
            throw RunRefusal(.messages(["error: \(error)"]))
        }
    }
}

/// Why a run was not started (`apex run` prints it on stderr and exits 2).
struct RunRefusal: Error {
    enum Reason {
        /// The workflow has errors: printed as `apex validate` prints them.
        case invalid(DiagnosticReport)
        /// Lines such as `error: …`.
        case messages([String])
    }

    var reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    /// The text to print, ending with a newline.
    func rendered(colors: Bool) -> String {
        switch reason {
        case .invalid(let report): DiagnosticRenderer.text(report, colors: colors)
        case .messages(let lines): lines.map { $0 + "\n" }.joined()
        }
    }
}
