import ApexDSL
import Foundation
import Testing

/// What the web UI needs of the server: its files (public, with a strict content policy), run
/// counts, graphs as SVG and per workflow version, a wait step's schema, and the namespace in
/// the query for event streams. The page itself is driven in Chromium by Tests/ui.
@Suite(.serialized) struct WebUIRouteTests {
    @Test func thePageAndItsFilesAreServedWithoutATokenAndWithAContentPolicy() async throws {
        let server = try await TestServer.start(environment: ["APEX_JWT_SECRET": String(repeating: "k", count: 32)], worker: false, metrics: false)
        let page = try await HTTP.get("\(server.base)/")
        #expect(page.status == 200)
        #expect(page.headers.first(name: "content-type") == "text/html; charset=utf-8")
        #expect(page.body.contains("<script src=\"/ui/app.js\" defer></script>"))
        let policy = page.headers.first(name: "content-security-policy") ?? ""
        #expect(policy.contains("script-src 'self'"))
        #expect(policy.contains("connect-src 'self'"))
        #expect(page.headers.first(name: "referrer-policy") == "no-referrer")
        let script = try await HTTP.get("\(server.base)/ui/app.js")
        #expect(script.status == 200)
        #expect(script.headers.first(name: "content-type") == "text/javascript; charset=utf-8")
        #expect(script.body.contains("/v1/runs"))
        #expect(try await HTTP.get("\(server.base)/ui/app.css").headers.first(name: "content-type") == "text/css; charset=utf-8")
        #expect(try await HTTP.get("\(server.base)/ui/other.js").status == 401)
        #expect(try await HTTP.send(.POST, "\(server.base)/").status == 405)
        try await server.stop()
    }

    @Test func aFolderInTheConfigurationServesTheUIFromDisk() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "console.log('edited')".write(to: folder.appendingPathComponent("app.js"), atomically: true, encoding: .utf8)
        let server = try await TestServer.start(worker: false, metrics: false) { $0.uiDirectory = folder.path }
        #expect(try await HTTP.get("\(server.base)/ui/app.js").body == "console.log('edited')")
        // A file the folder lacks is the compiled-in one.
        #expect(try await HTTP.get("\(server.base)/").body.contains("<title>Apex</title>"))
        try await server.stop()
    }

    @Test func runsAreCountedPerStatusOverEveryPage() async throws {
        let server = try await TestServer.start(worker: false, metrics: false)
        for id in ["a", "b", "c"] {
            #expect(try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: id)).status == 201)
        }
        #expect(try await HTTP.post("\(server.base)/v1/runs/b/cancel", [:]).status == 202)
        _ = try await server.engine.drive(runID: "b", untilFinished: true, observer: nil)
        let page = try await HTTP.get("\(server.base)/v1/runs?counts=true&limit=1&status=running")
        #expect(page.json["runs"]?.arrayValue?.count == 1)
        #expect(page.json["counts"] == ["running": 2, "completed": 0, "failed": 0, "cancelled": 1, "timed_out": 0])
        #expect(try await HTTP.get("\(server.base)/v1/runs").json["counts"] == nil)
        #expect(try await HTTP.get("\(server.base)/v1/runs?counts=yes").status == 400)
        let elsewhere = try await HTTP.get("\(server.base)/v1/runs?counts=true&workflow=other")
        #expect(elsewhere.json["counts"]?["running"] == 0)
        try await server.stop()
    }

    @Test func aRunsGraphIsJSONOrSVGWithTheWaitStepsSchema() async throws {
        let server = try await TestServer.start(metrics: false)
        #expect(try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "g")).status == 201)
        var graph = JSONValue.null
        for _ in 0..<200 {
            graph = try await HTTP.get("\(server.base)/v1/runs/g/graph").json
            if Self.node(graph, step: "approval")?["status"] == "waiting" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let approval = try #require(Self.node(graph, step: "approval"))
        #expect(approval["status"] == "waiting")
        #expect(approval["signal"] == "approve")
        #expect(approval["schema"]?["required"] == ["approved"])
        #expect(Self.node(graph, step: "done")?["signal"] == nil)

        let svg = try await HTTP.get("\(server.base)/v1/runs/g/graph?format=svg")
        #expect(svg.status == 200)
        #expect(svg.headers.first(name: "content-type") == "image/svg+xml; charset=utf-8")
        #expect(svg.body.hasPrefix("<svg"))
        #expect(svg.body.contains(#"data-step="approval""#))
        #expect(svg.body.contains("status-waiting"))
        #expect(svg.body.contains("status-pending"))
        #expect(try await HTTP.get("\(server.base)/v1/runs/g/graph?format=png").status == 400)
        try await server.stop()
    }

    @Test func aWorkflowVersionHasItsSourceAndGraph() async throws {
        let server = try await TestServer.start(worker: false, metrics: false)
        let first = try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(Workflows.approval)])
        let changed = Workflows.approval.replacingOccurrences(of: "  - id: done", with: "  - id: pause\n    sleep: 1s\n  - id: done")
        #expect(try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(changed)]).json["version"] == 2)

        let old = try await HTTP.get("\(server.base)/v1/workflows/approval?version=1")
        #expect(old.json["version"] == 1)
        #expect(old.json["hash"] == first.json["hash"])
        #expect(old.json["source"]?.stringValue == Workflows.approval)
        #expect(old.json["versions"]?.arrayValue?.count == 2)
        #expect(try await HTTP.get("\(server.base)/v1/workflows/approval?version=3").status == 404)
        #expect(try await HTTP.get("\(server.base)/v1/workflows/approval?version=x").status == 400)
        #expect(try await HTTP.get("\(server.base)/v1/workflows/approval/graph?version=0").status == 400)

        let newest = try await HTTP.get("\(server.base)/v1/workflows/approval/graph").json
        #expect(newest["nodes"]?.arrayValue?.contains { $0["step"] == "pause" } == true)
        let oldGraph = try await HTTP.get("\(server.base)/v1/workflows/approval/graph?version=1&format=svg")
        #expect(oldGraph.headers.first(name: "content-type") == "image/svg+xml; charset=utf-8")
        #expect(oldGraph.body.contains(#"data-step="approval""#))
        #expect(!oldGraph.body.contains(#"data-step="pause""#))
        #expect(try await HTTP.get("\(server.base)/v1/workflows/nope/graph").status == 404)
        try await server.stop()
    }

    @Test func theNamespaceOfAStreamMayBeInTheQuery() async throws {
        let server = try await TestServer.start(worker: false, metrics: false)
        #expect(try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "n"), headers: [("X-Apex-Namespace", "billing")]).status == 201)
        #expect(try await HTTP.get("\(server.base)/v1/runs/n").status == 404)
        #expect(try await HTTP.get("\(server.base)/v1/runs/n?namespace=billing").status == 200)
        let bad = try await HTTP.get("\(server.base)/v1/runs/n?namespace=bad%20name")
        #expect(bad.status == 400)
        #expect(bad.json["detail"]?.stringValue?.hasPrefix("the namespace query parameter \"bad name\"") == true)
        try await server.stop()
    }

    private static func node(_ graph: JSONValue, step: String) -> JSONValue? {
        graph["nodes"]?.arrayValue?.first { $0["step"]?.stringValue == step }
    }
}
