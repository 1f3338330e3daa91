import ApexDSL
import ApexEngine
import ApexLLM
import ApexMCP
import ArgumentParser
import Foundation
import MCP
import OrderedCollections

/// The tools `apex mcp` serves: each one's JSON input schema and its handler, on the local
/// store the command's options name (opened at the first tool that needs it). Each handler
/// goes through the code of the command it is named after, so a tool answers what the
/// command prints (docs/cli.md, "`apex mcp`"). A refusal (an unknown run, an invalid
/// workflow, a bad argument) is a result with `isError` and the message.
actor MCPTools {
    private let settings: Settings
    private let storeOptions: StoreOptions
    private let routing: LLMRouting
    private let executor: StepActivityExecutor
    private let log: ConsoleStream
    private var opened: Engine?
    /// The runs this process drives in the background, by id.
    private var drivers: [String: Task<Void, Never>] = [:]

    init(settings: Settings, store: StoreOptions, routing: LLMRouting, log: ConsoleStream) {
        self.settings = settings
        self.storeOptions = store
        self.routing = routing
        self.executor = EngineFactory.executor(fallback: routing, settings: settings)
        self.log = log
    }

    /// A tool's failure, shown to the caller as an `isError` result.
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: - Definitions

    static let definitions: [Tool] = [
        tool("validate", """
            Check Apex workflows like a compiler and report every problem, each with its line, column and rule id \
            (as `apex validate --format json`). Give the YAML text as `source`, or a `path` to a file or a folder \
            (every *.yaml and *.yml below it). A result with diagnostics is no tool error: isError means a path \
            could not be checked.
            """,
             properties: [
                "source": ["type": "string", "description": "A workflow's YAML text."],
                "path": ["type": "string", "description": "A workflow file, or a folder of them (relative to where apex mcp runs)."],
                "strict": ["type": "boolean", "description": "Count warnings as failures in the summary line.", "default": false],
             ]),
        tool("run", """
            Start a run of a workflow file on the local store, as `apex run` does, and answer {run_id, status, \
            output, error}. With wait: true, drive it here until it finishes, or until it can go no further without \
            a signal or a timer (then status is running); without, answer at once. Runs not finished are driven by \
            this server in the background while it runs, and stay durable when it stops (`apex resume`).
            """,
             properties: [
                "path": ["type": "string", "description": "The workflow file."],
                "input": ["type": "object", "description": "The run's input, checked against the workflow's input schema.", "default": [:]],
                "wait": ["type": "boolean", "description": "Wait for the run to finish (or to wait for a signal or timer).", "default": false],
                "run_id": ["type": "string", "description": "An id that makes the start idempotent: a second start with it attaches to the run."],
             ], required: ["path"]),
        tool("runs", "List runs of the local store, newest first, as `apex runs --json`.",
             properties: [
                "status": ["type": "string", "enum": .array(RunStatus.allCases.map { .string($0.rawValue) }), "description": "Only runs with this status."],
                "workflow": ["type": "string", "description": "Only runs of this workflow (its name)."],
                "limit": ["type": "integer", "minimum": 1, "default": 50, "description": "At most this many runs."],
             ]),
        tool("show", "A run with its input, output or error, steps and token usage: the JSON of `apex show --json`.",
             properties: ["run_id": ["type": "string", "description": "The run id."]], required: ["run_id"]),
        tool("signal", """
            Send a signal to a run's wait steps, as `apex signal`. The payload is checked against the schema of the \
            run's wait steps for that name; a signal sent before the run reaches its wait is kept.
            """,
             properties: [
                "run_id": ["type": "string", "description": "The run id."],
                "name": ["type": "string", "description": "The signal name."],
                "payload": ["description": "The payload, any JSON (default null)."],
             ], required: ["run_id", "name"]),
        tool("cancel", "Cancel a run, as `apex cancel`: running calls are cancelled and the run ends cancelled. A finished run is no error.",
             properties: [
                "run_id": ["type": "string", "description": "The run id."],
                "reason": ["type": "string", "description": "Why, recorded in the run's history."],
             ], required: ["run_id"]),
        tool("graph", "The state machine a workflow file compiles to, as `apex graph`: Mermaid text by default.",
             properties: [
                "path": ["type": "string", "description": "The workflow file."],
                "format": ["type": "string", "enum": .array(GraphFormat.allCases.map { .string($0.rawValue) }), "default": "mermaid"],
             ], required: ["path"]),
    ]

    private static func tool(_ name: String, _ description: String, properties: OrderedDictionary<String, JSONValue>,
                             required: [String] = []) -> Tool {
        var schema: OrderedDictionary<String, JSONValue> = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        schema["additionalProperties"] = false
        return Tool(name: name, description: description, inputSchema: MCP.Value(.object(schema)))
    }

    // MARK: - Calls

    /// Answers a `tools/call`; an unknown tool is a JSON-RPC error (invalid params).
    func call(_ name: String, arguments: [String: MCP.Value]) async throws -> CallTool.Result {
        let arguments = Arguments(name: name, values: arguments.mapValues(JSONValue.init))
        do {
            switch name {
            case "validate": return try await validate(arguments)
            case "run": return try await run(arguments)
            case "runs": return try await runs(arguments)
            case "show": return try await show(arguments)
            case "signal": return try await signal(arguments)
            case "cancel": return try await cancel(arguments)
            case "graph": return try graph(arguments)
            default: throw MCPError.invalidParams("Unknown tool: \(name)")
            }
        } catch let failure as Failure {
            return Self.result(failure.message, isError: true)
        } catch let refusal as RunRefusal {
            return Self.result(refusal.rendered(colors: false), isError: true)
        } catch let refusal as CommandRefusal {
            return Self.result(refusal.message, isError: true)
        } catch let error as MCPError {
            throw error
        } catch {
            return Self.result("\(error)", isError: true)
        }
    }

    private func validate(_ arguments: Arguments) async throws -> CallTool.Result {
        let source = try arguments.string("source")
        let path = try arguments.string("path")
        var tally = ValidationTally(strict: try arguments.bool("strict") ?? false)
        var reports: [DiagnosticReport] = []
        var text = ""
        let plain = TerminalStyle(enabled: false)
        let handle: (FileOutcome) -> Void = { outcome in
            switch outcome {
            case .unreadable(let problem):
                tally.addProblem()
                text += problem.rendered(style: plain) + "\n"
            case .checked(let report):
                tally.add(report)
                reports.append(report)
                text += DiagnosticRenderer.text(report)
            }
        }
        switch (source, path) {
        case (let source?, nil): handle(FileOutcome.check(Data(source.utf8), path: "<source>"))
        case (nil, let path?): await ValidationPipeline.check(paths: [path], each: handle)
        default: throw Failure("give the workflow as source (its YAML text) or as path (a file or folder), one of the two")
        }
        text += tally.summary(style: plain)
        return Self.result(text, structured: DiagnosticRenderer.json(reports), isError: tally.problems > 0)
    }

    private func run(_ arguments: Arguments) async throws -> CallTool.Result {
        let path = try arguments.required("path")
        let input = try arguments.object("input") ?? [:]
        let wait = try arguments.bool("wait") ?? false
        let runID = try arguments.string("run_id")
        let bundle = try LocalRun.bundle(at: path)
        try LocalRun.checkKeys(executor, for: bundle, routing: routing)
        let engine = try await engine()
        let started = try await LocalRun.start(bundle, on: engine, input: input, runID: runID, routing: routing, taskQueue: nil, settings: settings)
        var record = try await Self.record(started.runID, engine)
        if wait && !record.status.isFinished {
            do {
                switch try await engine.drive(runID: started.runID, untilFinished: false, waitForLease: false) {
                case .finished(let finished): record = finished
                case .waiting: record = try await Self.record(started.runID, engine)
                }
            } catch EngineError.runBusy {
                // Another process (a worker, apex run) drives it: its state is all there is to tell.
            }
        }
        if !record.status.isFinished { driveInBackground(started.runID, engine) }
        var summary: OrderedDictionary<String, JSONValue> = ["run_id": .string(record.id), "status": .string(record.status.rawValue)]
        if let output = record.output { summary["output"] = output }
        if let error = record.error { summary["error"] = error.json }
        return Self.result(JSONValue.object(summary).prettyJSON, structured: .object(summary))
    }

    /// Drives a run this server started until it finishes, while this process runs; a run
    /// driven elsewhere (its lease held) is left to its driver.
    private func driveInBackground(_ runID: String, _ engine: Engine) {
        guard drivers[runID] == nil else { return }
        drivers[runID] = Task { [log] in
            do {
                _ = try await engine.drive(runID: runID, untilFinished: true, waitForLease: false)
            } catch EngineError.runBusy {
            } catch {
                log.writeLine("apex mcp: run \(runID) stopped being driven here: \(error); continue it with: apex resume \(runID)")
            }
            self.driven(runID)
        }
    }

    private func driven(_ runID: String) {
        drivers[runID] = nil
    }

    private func runs(_ arguments: Arguments) async throws -> CallTool.Result {
        let status: RunStatus?
        do { status = try RunsCommand.statusFilter(try arguments.string("status")) } catch let error as ValidationError {
            throw Failure(error.message)
        }
        let limit = try arguments.int("limit") ?? 50
        guard limit >= 1 else { throw Failure("limit must be at least 1") }
        let runs = try await RunsCommand.runs(in: try await engine().store, status: status, workflow: try arguments.string("workflow"), limit: limit)
        return Self.result(JSONValue.array(runs).prettyJSON, structured: ["runs": .array(runs)])
    }

    private func show(_ arguments: Arguments) async throws -> CallTool.Result {
        let runID = try arguments.required("run_id")
        guard let run = try await ReplayedRun.load(runID, from: try await engine()) else { throw Failure("no run with id \(runID)") }
        let detail = run.detail
        return Self.result(detail.prettyJSON, structured: detail)
    }

    private func signal(_ arguments: Arguments) async throws -> CallTool.Result {
        let runID = try arguments.required("run_id")
        let name = try arguments.required("name")
        let sent = try await SignalCommand.send(arguments.values["payload"] ?? .null, name: name, runID: runID, engine: try await engine())
        return Self.result(sent.line, structured: ["run_id": .string(runID), "signal": .string(name), "event": .int(sent.event.seq)])
    }

    private func cancel(_ arguments: Arguments) async throws -> CallTool.Result {
        let runID = try arguments.required("run_id")
        let cancelled = try await CancelCommand.cancel(runID: runID, reason: try arguments.string("reason"), engine: try await engine())
        return Self.result(cancelled.line, structured: ["run_id": .string(runID), "requested": .bool(cancelled.requested)])
    }

    private func graph(_ arguments: Arguments) throws -> CallTool.Result {
        let path = try arguments.required("path")
        let name = try arguments.string("format") ?? GraphFormat.mermaid.rawValue
        guard let format = GraphFormat(rawValue: name) else {
            throw Failure("format must be one of \(GraphFormat.allCases.map(\.rawValue).joined(separator: ", ")), not \(name)")
        }
        let plain = TerminalStyle(enabled: false)
        switch GraphCommand.draw(file: path, format: format) {
        case .drawn(let graph, _):
            return Self.result(graph)
        case .unreadable(let problem):
            throw Failure(problem.rendered(style: plain))
        case .invalid(let report, let malformed):
            throw Failure(DiagnosticRenderer.text(report) + (malformed.map { $0.rendered(style: plain) + "\n" } ?? ""))
        }
    }

    // MARK: - Helpers

    /// The engine on the store the options name, opened once.
    private func engine() async throws -> Engine {
        if let opened { return opened }
        let engine = EngineFactory.engine(store: try await EngineFactory.store(storeOptions, settings: settings), executor: executor, settings: settings)
        opened = engine
        return engine
    }

    private static func record(_ runID: String, _ engine: Engine) async throws -> RunRecord {
        guard let record = try await engine.store.run(id: runID) else { throw Failure("no run with id \(runID)") }
        return record
    }

    static func result(_ text: String, structured: JSONValue? = nil, isError: Bool = false) -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured.map { MCP.Value($0) },
                        isError: isError ? true : nil)
    }

    /// A call's arguments, read with clear messages for missing or mistyped ones.
    struct Arguments {
        var name: String
        var values: [String: JSONValue]

        func string(_ key: String) throws -> String? {
            guard let value = values[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw Failure("argument \(key) of \(name) must be a string, not \(value.typeName)") }
            return string
        }

        func required(_ key: String) throws -> String {
            guard let string = try string(key) else { throw Failure("\(name) needs the argument \(key)") }
            return string
        }

        func bool(_ key: String) throws -> Bool? {
            guard let value = values[key], !value.isNull else { return nil }
            guard case .bool(let bool) = value else { throw Failure("argument \(key) of \(name) must be true or false, not \(value.typeName)") }
            return bool
        }

        func int(_ key: String) throws -> Int? {
            guard let value = values[key], !value.isNull else { return nil }
            switch value {
            case .int(let int): return int
            case .double(let double) where double == double.rounded() && abs(double) < 1e15: return Int(double)
            default: throw Failure("argument \(key) of \(name) must be an integer, not \(value.typeName)")
            }
        }

        func object(_ key: String) throws -> JSONValue? {
            guard let value = values[key], !value.isNull else { return nil }
            guard value.objectValue != nil else { throw Failure("argument \(key) of \(name) must be a JSON object, not \(value.typeName)") }
            return value
        }
    }
}
