import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation
import Hummingbird
import OrderedCollections

/// Starting and reading runs: `POST /v1/runs`, `GET /v1/runs`, `GET /v1/runs/{id}` and its
/// `history` and `graph`.
struct RunRoutes {
    let state: ServerState

    func add(to router: RouteTable) {
        router.post("/v1/runs") { request, context in try await start(request, context) }
        router.get("/v1/runs") { request, context in try await list(request, context) }
        router.get("/v1/runs/{id}") { _, context in
            try context.require(.runsRead)
            let (engine, record) = try await run(context)
            let history = try await engine.store.events(runID: record.id, after: 0)
            let machine = try Replayer.replay(plan: try await engine.plan(forRun: record), runID: record.id, events: history)
            return JSONIO.response(RunJSON.detail(record, steps: machine.stepRecords, logs: StepLogs(history)))
        }
        router.get("/v1/runs/{id}/history") { request, context in
            try context.require(.runsRead)
            let (engine, record) = try await run(context)
            let after = try request.intQuery("after", default: 0, in: 0...Int.max)
            let limit = try request.intQuery("limit", default: 100, in: 1...1000)
            let events = try await engine.store.events(runID: record.id, after: after, limit: limit)
            let more = (events.last?.seq ?? after) < record.lastSeq
            return JSONIO.response(["run_id": .string(record.id), "events": .array(events.map(\.json)),
                                    "next_after": more ? .int(events.last?.seq ?? after) : .null])
        }
        router.get("/v1/runs/{id}/graph") { request, context in
            try context.require(.runsRead)
            let (engine, record) = try await run(context)
            let machine = try await replay(record, engine: engine)
            return try GraphResponse.make(for: request, json: { RunGraph.json(plan: machine.plan, steps: machine.stepRecords, record: record) },
                                          svg: { machine.plan.svg(statuses: StateProgress.byState(machine.stepRecords).mapValues(\.status)) })
        }
    }

    /// The run named by the path, with its namespace's engine (404 when there is none).
    private func run(_ context: APIContext) async throws -> (Engine, RunRecord) {
        let id = try context.parameters.require("id")
        let engine = try await state.engine(context)
        guard let record = try await engine.store.run(id: id) else { throw Problem.notFound("no run with id \(id)") }
        return (engine, record)
    }

    private func replay(_ record: RunRecord, engine: Engine) async throws -> RunMachine {
        let history = try await engine.store.events(runID: record.id, after: 0)
        return try Replayer.replay(plan: try await engine.plan(forRun: record), runID: record.id, events: history)
    }

    /// Starts a run of a registered workflow or of inline YAML; idempotent with `id`.
    private func start(_ request: Request, _ context: APIContext) async throws -> Response {
        try context.require(.runsWrite)
        let body = try await JSONIO.body(request, limit: state.configuration.maxBodyBytes)
        try JSONIO.rejectUnknown(body, known: ["workflow", "hash", "source", "input", "id"])
        let engine = try await state.engine(context)
        let definition: WorkflowDefinition
        switch (try JSONIO.string(body, "workflow"), try JSONIO.string(body, "source")) {
        case (let name?, nil): definition = try await registered(name, hash: try JSONIO.string(body, "hash"), engine: engine)
        case (nil, let source?):
            guard body["hash"] == nil else { throw Problem.badRequest("\"hash\" goes with \"workflow\", not with \"source\"") }
            definition = try WorkflowSourceCompiler.definition(source, path: "workflow.yaml")
        default: throw Problem.badRequest("give either \"workflow\" (a registered name) or \"source\" (the YAML)")
        }
        let id = try JSONIO.string(body, "id")
        let started = try await engine.start(definition, input: body["input"] ?? .object([:]), runID: id)
        guard let record = try await engine.store.run(id: started.runID) else { throw Problem.notFound("no run with id \(started.runID)") }
        return JSONIO.response(RunJSON.record(record), status: started.created ? .created : .ok,
                               headers: [.location: "/v1/runs/\(started.runID)"])
    }

    /// The registered definition `name` (its newest version, or the one with `hash`).
    private func registered(_ name: String, hash: String?, engine: Engine) async throws -> WorkflowDefinition {
        let versions = try await engine.store.registeredVersions(name: name)
        guard let chosen = hash.map({ hash in versions.first { $0.hash == hash } }) ?? versions.first else {
            throw Problem(.unprocessableContent, "unknown-workflow", "Unknown workflow",
                          detail: hash.map { "workflow \(name) has no version with hash \($0)" } ?? "no workflow named \(name) is registered")
        }
        guard let stored = try await engine.store.definition(hash: chosen.hash) else {
            throw Problem.notFound("the definition \(chosen.hash) of workflow \(name) is missing from the store")
        }
        // Compiled once per hash per process (the engine's plan cache): it was validated when registered.
        return WorkflowDefinition(plan: try engine.plan(for: stored), source: stored.source, path: stored.path)
    }

    /// `GET /v1/runs`: newest first, filtered, paged by an opaque cursor; with `counts=true`,
    /// the number of runs per status over every page (the filters but `status`).
    private func list(_ request: Request, _ context: APIContext) async throws -> Response {
        try context.require(.runsRead)
        let query = request.uri.queryParameters
        var filter = RunFilter(limit: try request.intQuery("limit", default: 50, in: 1...500) + 1)
        if let status = query.get("status") {
            guard let value = RunStatus(rawValue: status) else {
                throw Problem.badRequest("status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        filter.workflow = query.get("workflow")
        filter.startedAfter = try Self.time(query.get("started_after"), "started_after")
        filter.startedBefore = try Self.time(query.get("started_before"), "started_before")
        if let cursor = query.get("cursor"), !cursor.isEmpty {
            guard let position = RunListCursor.decode(cursor) else { throw Problem.badRequest("cursor is not one this server gave") }
            filter.after = position
        }
        let engine = try await state.engine(context)
        var runs = try await engine.store.runs(filter)
        let more = runs.count == filter.limit
        if more { runs.removeLast() }
        let next: JSONValue = more ? runs.last.map { .string(RunListCursor.encode($0.cursor)) } ?? .null : .null
        var page: OrderedDictionary<String, JSONValue> = ["runs": .array(runs.map(RunJSON.record)), "next_cursor": next]
        if try request.boolQuery("counts") {
            let counts = try await engine.store.runCounts(filter)
            page["counts"] = .object(OrderedDictionary(uniqueKeysWithValues: RunStatus.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) }))
        }
        return JSONIO.response(.object(page))
    }

    private static func time(_ text: String?, _ name: String) throws -> Timestamp? {
        guard let text else { return nil }
        guard let time = Timestamp(rfc3339: text) else { throw Problem.badRequest("\(name) must be an RFC 3339 time, e.g. 2026-12-05T10:00:00Z") }
        return time
    }
}

/// The opaque cursor of `GET /v1/runs`: base64url of `started_at_ms:id`.
enum RunListCursor {
    static func encode(_ cursor: RunCursor) -> String {
        Base64URL.encode("\(cursor.startedAt.milliseconds):\(cursor.id)".utf8)
    }

    static func decode(_ text: String) -> RunCursor? {
        guard let bytes = Base64URL.decode(text), let plain = String(data: bytes, encoding: .utf8),
              let colon = plain.firstIndex(of: ":"), let ms = Int64(plain[..<colon]) else { return nil }
        return RunCursor(startedAt: Timestamp(milliseconds: ms), id: String(plain[plain.index(after: colon)...]))
    }
}
