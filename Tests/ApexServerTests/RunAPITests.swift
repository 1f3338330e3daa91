import ApexDSL
import Foundation
import Testing

/// The run routes over real HTTP: start (idempotent), read, list with filters and cursors,
/// history, graph, signals and cancel, with every error status.
@Suite(.serialized) struct RunAPITests {
    @Test func aRunStartsIdempotentlyTakesItsSignalAndCompletes() async throws {
        let server = try await TestServer.start()
        let created = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "order-1"))
        #expect(created.status == 201)
        #expect(created.headers.first(name: "location") == "/v1/runs/order-1")
        #expect(created.json["status"] == "running")
        let again = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "order-1"))
        #expect(again.status == 200)
        #expect(again.json["id"] == "order-1")

        let bad = try await HTTP.post("\(server.base)/v1/runs/order-1/signals/approve", ["approved": "yes"])
        #expect(bad.status == 422)
        #expect(bad.headers.first(name: "content-type") == "application/problem+json")
        #expect(bad.json["type"] == "https://apex.dev/problems/invalid-payload")
        let unknown = try await HTTP.post("\(server.base)/v1/runs/nope/signals/approve", ["approved": true])
        #expect(unknown.status == 404)
        let accepted = try await HTTP.post("\(server.base)/v1/runs/order-1/signals/approve", ["approved": true])
        #expect(accepted.status == 202)
        #expect(accepted.json["seq"]?.numberValue != nil)

        let record = try await waitFor(server, "order-1", status: "completed")
        #expect(record["output"] == true)
        #expect(record["steps"]?.arrayValue?.count == 2)
        let late = try await HTTP.post("\(server.base)/v1/runs/order-1/signals/approve", ["approved": true])
        #expect(late.status == 409)
        #expect(late.json["type"] == "https://apex.dev/problems/run-finished")
        try await server.stop()
    }

    @Test func badStartsAreRefusedWithProblems() async throws {
        let server = try await TestServer.start(worker: false)
        let invalid = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.broken))
        #expect(invalid.status == 422)
        #expect(invalid.json["type"] == "https://apex.dev/problems/invalid-workflow")
        let diagnostics = invalid.json["diagnostics"]?["files"]?.arrayValue?.first?["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.map { $0["line"] } == [4, 5])
        let input = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, input: ["amount": "ten"]))
        #expect(input.status == 422)
        #expect(input.json["type"] == "https://apex.dev/problems/invalid-input")
        let neither = try await HTTP.post("\(server.base)/v1/runs", ["input": [:]])
        #expect(neither.status == 400)
        let misspelt = try await HTTP.post("\(server.base)/v1/runs", ["sourc": "x"])
        #expect(misspelt.status == 400)
        let notJSON = try await HTTP.send(.POST, "\(server.base)/v1/runs", body: "{")
        #expect(notJSON.status == 400)
        let unregistered = try await HTTP.post("\(server.base)/v1/runs", ["workflow": "missing"])
        #expect(unregistered.status == 422)
        #expect(unregistered.json["type"] == "https://apex.dev/problems/unknown-workflow")
        let huge = try await HTTP.post("\(server.base)/v1/runs", ["source": .string(String(repeating: "x", count: 5 << 20))])
        #expect(huge.status == 413)
        let missing = try await HTTP.get("\(server.base)/v1/runs/nope")
        #expect(missing.status == 404)
        #expect(missing.json["status"] == 404)
        let cancelMissing = try await HTTP.send(.POST, "\(server.base)/v1/runs/nope/cancel")
        #expect(cancelMissing.status == 404)
        try await server.stop()
    }

    @Test func listsArePagedByCursorAndFiltered() async throws {
        let server = try await TestServer.start(worker: false)
        for index in 0..<7 {
            let reply = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "run-\(index)"))
            #expect(reply.status == 201)
        }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let query = cursor.map { "&cursor=\($0)" } ?? ""
            let page = try await HTTP.get("\(server.base)/v1/runs?limit=3\(query)")
            #expect(page.status == 200)
            seen += page.json["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = page.json["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(seen.sorted() == (0..<7).map { "run-\($0)" })
        #expect(Set(seen).count == 7)
        let cancelled = try await HTTP.post("\(server.base)/v1/runs/run-3/cancel", ["reason": "test"])
        #expect(cancelled.status == 202)
        let none = try await HTTP.get("\(server.base)/v1/runs?status=completed")
        #expect(none.json["runs"]?.arrayValue?.isEmpty == true)
        let future = try await HTTP.get("\(server.base)/v1/runs?started_after=2999-01-01T00:00:00Z")
        #expect(future.json["runs"]?.arrayValue?.isEmpty == true)
        let past = try await HTTP.get("\(server.base)/v1/runs?started_before=2999-01-01T00:00:00Z&workflow=approval")
        #expect(past.json["runs"]?.arrayValue?.count == 7)
        for bad in ["status=sleeping", "limit=0", "limit=x", "started_after=yesterday", "cursor=%21%21"] {
            let reply = try await HTTP.get("\(server.base)/v1/runs?\(bad)")
            #expect(reply.status == 400, "\(bad)")
        }
        try await server.stop()
    }

    @Test func historyIsPagedAndTheGraphShowsLiveStatus() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "graph-1"))
        _ = try await waitFor(server, "graph-1", currentStep: "approval")
        let graph = try await HTTP.get("\(server.base)/v1/runs/graph-1/graph")
        #expect(graph.status == 200)
        let nodes = graph.json["nodes"]?.arrayValue ?? []
        #expect(nodes.first { $0["step"] == "approval" }?["status"] == "waiting")
        #expect(nodes.first { $0["step"] == "done" }?["status"] == "pending")
        let first = try await HTTP.get("\(server.base)/v1/runs/graph-1/history?limit=1")
        #expect(first.json["events"]?.arrayValue?.map { $0["seq"] } == [1])
        #expect(first.json["events"]?.arrayValue?.first?["type"] == "RunStarted")
        #expect(first.json["next_after"] == 1)
        let rest = try await HTTP.get("\(server.base)/v1/runs/graph-1/history?after=1")
        #expect(rest.json["events"]?.arrayValue?.first?["seq"] == 2)
        #expect(rest.json["next_after"] == .null)
        #expect(try await HTTP.get("\(server.base)/v1/runs/graph-1/history?limit=0").status == 400)
        try await server.stop()
    }

    /// Polls `GET /v1/runs/{id}` until the run has `status` (or is at `currentStep`).
    func waitFor(_ server: TestServer, _ id: String, status: String? = nil, currentStep: String? = nil) async throws -> JSONValue {
        for _ in 0..<200 {
            let reply = try await HTTP.get("\(server.base)/v1/runs/\(id)")
            if let status, reply.json["status"] == .string(status) { return reply.json }
            if let currentStep, reply.json["current_step"] == .string(currentStep) { return reply.json }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("run \(id) never reached \(status ?? currentStep ?? "")")
        return .null
    }
}
