import ApexCompiler
import ApexDSL
import ApexEngine
import ApexTesting
import Foundation
import Logging
import Testing
@testable import ApexServer

/// The committed OpenAPI document describes exactly the routes the server has.
@Suite struct OpenAPIDocumentTests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let engine = Engine(store: InMemoryRunStore(), executor: NoExecutor(), configuration: EngineConfiguration(workerID: "openapi"))
        let server = APIServer(configuration: ServerConfiguration(), engine: engine, namespaces: Namespaces(seeded: [engine]) { _ in engine },
                               auth: try await AuthConfiguration.fromEnvironment([:]), metrics: ServerMetrics(), logger: Logger(label: "test"))
        let routes = Set(server.routeTable().routes.map { "\($0.method) \($0.path)" })
        let document = try JSONValue(parsing: String(decoding: PackageResources.openapi_json, as: UTF8.self))
        #expect(document["openapi"] == "3.1.0")
        var documented = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in item.objectValue?.keys ?? [] { documented.insert("\(method.uppercased()) \(path)") }
        }
        // The WebSocket is a GET that upgrades: OpenAPI cannot describe it (docs/server.md does).
        // The web UI's files are a page, not the API.
        let page = Set(UIRoutes.files.keys.map { "GET \($0)" })
        #expect(routes.subtracting(documented) == page.union(["GET /v1/stream"]))
        #expect(documented.subtracting(routes).isEmpty)
    }

    @Test func everyOperationHasAnIdAndEveryErrorIsAProblem() throws {
        let document = try JSONValue(parsing: String(decoding: PackageResources.openapi_json, as: UTF8.self))
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] {
                #expect(operation["operationId"]?.stringValue != nil, "\(method) \(path)")
                for (status, response) in operation["responses"]?.objectValue ?? [:] where (Int(status) ?? 0) >= 400 {
                    #expect(response["$ref"] == "#/components/responses/Problem", "\(method) \(path) \(status)")
                }
            }
        }
    }
}

private struct NoExecutor: ActivityExecutor {
    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        .failed(RunError(type: "test.none", message: "no executor"), retryAfter: nil)
    }
}
