import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation
import Logging

/// What every route shares: the configuration, the engines by namespace, auth, metrics and
/// the open streams.
struct ServerState: Sendable {
    let configuration: ServerConfiguration
    let namespaces: Namespaces
    let auth: AuthConfiguration
    let metrics: ServerMetrics
    let streams: OpenStreams
    let logger: Logger

    func engine(_ context: APIContext) async throws -> Engine {
        do { return try await namespaces.engine(context.namespace) } catch {
            logger.error("opening the store of namespace \(context.namespace) failed: \(error)", metadata: ["request_id": "\(context.requestID)"])
            throw Problem.storeUnavailable
        }
    }
}

extension Problem {
    static let storeUnavailable = Problem(.serviceUnavailable, "store-unavailable", "Store unavailable",
                                          detail: "the store cannot be reached; try again later")
    static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, "forbidden", "Forbidden", detail: detail) }
}

/// A workflow's YAML checked and compiled as `apex validate` and `apex run` do.
enum WorkflowSourceCompiler {
    /// The diagnostics of `source` (`path` names it in messages).
    static func validate(_ source: String, path: String) -> ValidationResult {
        WorkflowValidator.validate(data: Data(source.utf8), path: path)
    }

    /// The definition of `source`, or a 422 problem with its diagnostics.
    static func definition(_ source: String, path: String) throws -> WorkflowDefinition {
        let result = validate(source, path: path)
        guard !result.hasErrors else { throw Problem.invalidWorkflow(result, path: path) }
        do { return WorkflowDefinition(plan: try Compiler.compile(result), source: source, path: path) } catch {
            throw Problem(.unprocessableContent, "invalid-workflow", "Invalid workflow", detail: "\(error)")
        }
    }

    /// The diagnostics as `apex validate --format json` gives them for one file.
    static func diagnosticsJSON(_ result: ValidationResult, path: String) -> JSONValue {
        let report = DiagnosticReport(path: path, source: result.source, diagnostics: result.diagnostics, truncatedCount: result.truncatedCount)
        return DiagnosticRenderer.json([report])
    }
}

extension Problem {
    static func invalidWorkflow(_ result: ValidationResult, path: String) -> Problem {
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        return Problem(.unprocessableContent, "invalid-workflow", "Invalid workflow", detail: "the workflow has \(errors) error(s)",
                       extensions: ["diagnostics": WorkflowSourceCompiler.diagnosticsJSON(result, path: path)])
    }
}
