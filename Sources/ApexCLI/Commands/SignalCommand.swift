import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex signal RUN NAME`: sends a signal to a run's `wait` steps.
struct SignalCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Send a signal to a run.",
        discussion: """
            The payload is checked against the schema of the run's wait steps for that name \
            before it is accepted; signals sent before the run reaches its wait are kept and \
            consumed in order.

            Examples:
              apex signal 01JD3K7Q2M8R5T9V4W6X0Y1Z2A approve --data '{"approved": true}'
              apex signal ticket-42 approve --data-file decision.json
              apex signal ticket-42 approve --data '{"approved": true}' --server http://127.0.0.1:8080
              apex signal ticket-42 approve --json   (prints {"run_id", "name", "seq", …})

            Exit status: 0 accepted, 1 rejected (run finished, unknown signal, invalid payload), \
            2 unknown run.
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Argument(help: "The signal name.")
    var name: String

    @Option(help: "The payload as JSON (default null).")
    var data: String?

    @Option(help: "A file holding the payload as JSON.", completion: .jsonFiles)
    var dataFile: String?

    @Flag(help: "Print the accepted signal as JSON: run_id, name, seq, and on a local store signal_id and at.")
    var json = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        guard data == nil || dataFile == nil else { throw ValidationError("give the payload one way: --data or --data-file") }
        var text = data
        if let dataFile {
            guard let contents = FileManager.default.contents(atPath: dataFile) else { throw ValidationError("cannot read \(dataFile)") }
            text = String(decoding: contents, as: UTF8.self)
        }
        let payload: JSONValue
        do { payload = try text.map { try JSONValue(parsing: $0) } ?? .null } catch {
            throw ValidationError("the payload is not valid JSON: \(error)")
        }
        let settings = Settings(console: console)
        if let client = try server.client(settings: settings, store: store) { return try await send(payload, to: client, console: console) }
        let engine = try EngineFactory.engine(store: try await EngineFactory.store(store, settings: settings), llm: nil, settings: settings)
        do {
            let sent = try await Self.send(payload, name: name, runID: runID, engine: engine)
            if json {
                var signalID = JSONValue.null
                if case .signalReceived(_, _, let id) = sent.event.kind { signalID = .string(id) }
                let object: JSONValue = ["run_id": .string(runID), "name": .string(name), "seq": .int(sent.event.seq),
                                         "signal_id": signalID, "at": .string(sent.event.at.description)]
                console.output.writeLine(object.prettyJSON)
            } else {
                console.error.writeLine(sent.line)
            }
            return .success
        } catch let refusal as CommandRefusal {
            console.error.writeLine("error: \(refusal.message)")
            return refusal.status
        }
    }

    /// Sends the signal through `engine` (a local store): the event and the line to print, or
    /// a ``CommandRefusal`` (an unknown run exits 2; a finished run, a signal no wait step
    /// uses or a payload that matches no schema exit 1).
    static func send(_ payload: JSONValue, name: String, runID: String, engine: Engine) async throws -> (event: Event, line: String) {
        do {
            let event = try await engine.signal(runID: runID, name: name, payload: payload)
            return (event, "signal \"\(name)\" sent to run \(runID) (event \(event.seq))")
        } catch StoreError.unknownRun {
            throw CommandRefusal("no run with id \(runID)", status: .badInput)
        } catch let error as StoreError {
            throw CommandRefusal("\(error)", status: ExitCode(1))
        } catch let error as EngineError {
            throw CommandRefusal("\(error)", status: ExitCode(1))
        }
    }

    /// `POST /v1/runs/{id}/signals/{name}`, answered as the local command answers: a run that
    /// has finished, a signal no wait step uses or a payload that matches no schema (409, 413,
    /// 422) is a rejection, exit 1.
    private func send(_ payload: JSONValue, to client: APIClient, console: Console) async throws -> ExitCode {
        do {
            let reply = try await client.post(APIClient.runPath(runID, "/signals/\(APIClient.escape(name))"), text: payload.compactJSON)
            if json {
                let object: JSONValue = ["run_id": .string(runID), "name": .string(name), "seq": reply.body["seq"] ?? .null]
                console.output.writeLine(object.prettyJSON)
            } else {
                console.error.writeLine("signal \"\(name)\" sent to run \(runID) (event \(reply.body["seq"]?.compactJSON ?? "?"))")
            }
            return .success
        } catch let error as APIError where error.isUnknownRun {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        } catch APIError.problem(let problem) where [409, 413, 422].contains(problem.status) {
            console.error.writeLine("error: \(problem.detail)")
            return ExitCode(1)
        }
    }
}
