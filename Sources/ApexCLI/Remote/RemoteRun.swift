import ApexCompiler
import ApexDSL
import ApexEngine
import ApexWorkflowFiles
import ArgumentParser
import Foundation
import OrderedCollections

/// `apex run FILE --server URL`: starts the run on the server (`POST /v1/runs` with the file's
/// source) and follows its live stream, printing what `apex run` prints for a run it drives:
/// the same step lines on stderr (``ProgressPrinter``, fed the streamed events), the output or
/// record on stdout, and the same exit status.
struct RemoteRun {
    let client: APIClient
    let console: Console
    let json: Bool

    /// Starts a run of `bundle` (checked here first, as `apex run` checks it) and follows it,
    /// unless `detach`.
    func start(_ bundle: WorkflowFiles.Bundle, file: String, input: JSONValue, runID: String?, detach: Bool) async throws -> ExitCode {
        guard bundle.children.isEmpty else {
            console.error.writeLine("error: \(file) calls workflows by file (workflow: {file: …}), which a server cannot read from here; "
                + "register them on the server (POST /v1/workflows) and call them by name")
            return .badInput
        }
        var body: OrderedDictionary<String, JSONValue> = ["source": .string(bundle.root.source), "input": input]
        if let runID { body["id"] = .string(runID) }
        let reply: APIClient.Reply
        do { reply = try await client.post("/v1/runs", .object(body)) } catch APIError.problem(let problem) where (400..<500).contains(problem.status) {
            // As `apex run` refuses a workflow, an input or an id (exit 2).
            if problem.slug == "invalid-workflow" {
                console.error.write(Self.diagnostics(problem, file: file, source: bundle.root.source, colors: console.allowsColor(on: console.error)))
            } else {
                console.error.writeLine("error: \(problem.detail)")
            }
            return .badInput
        }
        guard let id = reply.body["id"]?.stringValue else {
            throw APIError.unexpected(server: client.base, "POST /v1/runs answered \(reply.status) without the run's id")
        }
        if detach {
            console.output.writeLine(id)
            return .success
        }
        let pinned = reply.body["definition_hash"]?.stringValue == bundle.root.plan.definitionHash
        return try await follow(id, plan: pinned ? bundle.root.plan : nil, startedHere: reply.status == 201)
    }

    /// Follows the run to its end as ``RunFollower`` does for a run driven here.
    ///
    /// - Parameters:
    ///   - plan: The run's plan, to rebuild its state from the streamed events (the `wait`
    ///     lines name the signal from it); nil when the run pinned another definition than the
    ///     file's (an `--id` of an earlier version).
    ///   - startedHere: Whether this command created the run: its history so far is printed too.
    func follow(_ runID: String, plan: Plan?, startedHere: Bool) async throws -> ExitCode {
        let interrupt = InterruptHandler { [console, client] in
            console.error.writeLine("\ninterrupted: run \(runID) goes on on the server; watch it with: apex show \(runID) --watch --server \(client.base)")
        }
        defer { interrupt.cancel() }
        let printer = ProgressPrinter(stream: console.error, style: console.style(for: console.error), runID: runID, printsLoadedHistory: startedHere)
        console.error.writeLine("run \(runID)")
        var state = StreamedRun(runID: runID, server: client.base, plan: plan)
        var loaded: [Event] = []
        try await client.history(runID: runID) { page in loaded += try page.map(state.event) }
        state.replay(loaded)
        printer.loaded(loaded, waitingSignals: state.waitingSignals, currentStep: state.currentStep)
        if !state.isFinished {
            try await RunEventStream(client: client, runID: runID).read(after: state.lastSeq) { item in
                switch item {
                case .events(let batch):
                    let events = try batch.map(state.event)
                    state.replay(events)
                    printer.committed(events, waitingSignals: state.waitingSignals)
                case .delta(let delta):
                    guard let step = delta["step"]?.stringValue, case .int(let visit)? = delta["visit"], case .int(let attempt)? = delta["attempt"],
                          let text = delta["text"]?.stringValue else { return }
                    printer.progressed(LiveProgress(runID: runID, step: step, visit: visit, attempt: attempt, kind: .text(text)))
                }
            }
        }
        let detail = try await client.get(APIClient.runPath(runID))
        if json {
            console.output.writeLine(RunText.record(fromDetail: detail).prettyJSON)
        } else if let output = RunText.output(of: detail) {
            console.output.writeLine(output.prettyJSON)
        }
        return ExitCode(runStatus: RunText.status(of: detail))
    }

    /// The diagnostics of a server's `invalid-workflow` problem as `apex validate` prints them,
    /// against the file as it is here.
    static func diagnostics(_ problem: APIProblem, file: String, source: String, colors: Bool) -> String {
        let found = problem.document["diagnostics"]?["files"]?.arrayValue?.first?["diagnostics"]?.arrayValue ?? []
        var diagnostics: [Diagnostic] = []
        for entry in found {
            guard let severity = entry["severity"]?.stringValue.flatMap(Severity.init(rawValue:)),
                  let rule = entry["rule"]?.stringValue.flatMap(RuleID.init(rawValue:)), let message = entry["message"]?.stringValue,
                  case .int(let line)? = entry["line"], case .int(let column)? = entry["column"] else { continue }
            let endLine = entry["end_line"].flatMap { if case .int(let value) = $0 { value } else { nil } } ?? line
            let endColumn = entry["end_column"].flatMap { if case .int(let value) = $0 { value } else { nil } } ?? column
            diagnostics.append(Diagnostic(severity, rule, message, file: file, range: SourceRange(
                start: SourceLocation(line: line, column: column), end: SourceLocation(line: endLine, column: endColumn))))
        }
        guard !diagnostics.isEmpty else { return "error: \(problem.detail)\n" }
        let report = DiagnosticReport(path: file, source: SourceFile(path: file, text: source), diagnostics: diagnostics)
        return DiagnosticRenderer.text(report, colors: colors)
    }
}

/// A run's state rebuilt from the events a server streams, for the step lines: the machine
/// after them when the run's plan is known here, else only the last seq.
private struct StreamedRun {
    let runID: String
    let server: String
    /// Nil without the run's plan (or when it stopped replaying): the step lines then lack only
    /// the signal a wait step waits for.
    private var machine: RunMachine?
    private(set) var lastSeq = 0
    private(set) var isFinished = false

    init(runID: String, server: String, plan: Plan?) {
        self.runID = runID
        self.server = server
        machine = plan.map { RunMachine(plan: $0, runID: runID) }
    }

    var waitingSignals: [String] { machine?.waitingSignals ?? [] }
    var currentStep: String? { machine?.currentStep }

    /// A stored event from its JSON.
    func event(_ json: JSONValue) throws -> Event {
        do { return try Event(json: json) } catch {
            throw APIError.unexpected(server: server, "run \(runID) has an event this apex cannot read: \(error)")
        }
    }

    mutating func replay(_ events: [Event]) {
        for event in events {
            lastSeq = event.seq
            if event.kind.isTerminal { isFinished = true }
            guard machine != nil else { continue }
            do { try Replayer.replay(event, into: &machine!) } catch { machine = nil }
        }
    }
}
