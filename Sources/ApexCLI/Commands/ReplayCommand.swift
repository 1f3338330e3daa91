import ApexCompiler
import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex replay`: re-runs the decision logic over a recorded history without executing
/// anything, and reports the first event where the decisions differ.
struct ReplayCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Check that a workflow still makes the decisions a recorded history shows.",
        discussion: """
            For CI: "does my edit break runs in flight?" Replays a run's history (from the \
            store, or a file written by `apex history --json`) through the decision logic of \
            a definition: the one the run pinned (for a file, found in the store by the hash \
            in its RunStarted), or --workflow FILE. Nothing is executed.

            Examples:
              apex replay 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --workflow workflows/triage.yaml
              apex replay --history run.jsonl --workflow workflows/triage.yaml
              apex replay --history run.jsonl

            Exit status: 0 same decisions, 1 divergence, 2 bad usage (unknown run, unreadable file).
            """
    )

    @Argument(help: "The run id (or use --history).", completion: .runIDs)
    var runID: String?

    @Option(help: "A history file from `apex history --json`.", completion: .jsonFiles)
    var history: String?

    @Option(help: "The workflow definition to check (default: the one the run pinned).", completion: .yamlFiles)
    var workflow: String?

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        guard (runID == nil) != (history == nil) else { throw ValidationError("give a run id or --history FILE") }
        let events: [Event]
        let plan: Plan
        do {
            if let history {
                events = try Self.readHistory(history)
                if let workflow {
                    plan = try Self.compile(workflow)
                } else {
                    plan = try await Self.pinnedPlan(of: events, history: history, engine: try await EngineFactory.engine(console, store: store, llm: nil))
                }
            } else {
                let engine = try await EngineFactory.engine(console, store: store, llm: nil)
                guard let runID, let record = try await engine.store.run(id: runID) else {
                    console.error.writeLine("error: no run with id \(runID ?? "")")
                    return .badInput
                }
                events = try await engine.store.events(runID: record.id, after: 0)
                if let workflow {
                    plan = try Self.compile(workflow)
                } else {
                    plan = try await engine.plan(forRun: record)
                }
            }
        } catch let error as ReplayInputError {
            console.error.writeLine("error: \(error.message)")
            return .badInput
        }
        do {
            _ = try Replayer.replay(plan: plan, runID: runID ?? "replay", events: events)
            console.error.writeLine("✓ \(events.count) events replayed: the decisions are the same")
            return .success
        } catch {
            console.output.writeLine("✗ \(error)")
            return ExitCode(1)
        }
    }

    struct ReplayInputError: Error { var message: String }

    static func compile(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReplayInputError(message: "cannot read \(path)") }
        let result = WorkflowValidator.validate(data: data, path: path)
        guard !result.hasErrors else { throw ReplayInputError(message: "\(path) is not a valid workflow (run apex validate \(path))") }
        do { return try Compiler.compile(result) } catch { throw ReplayInputError(message: "\(error)") }
    }

    /// The plan of the definition a history file's `RunStarted` pinned, from the store.
    static func pinnedPlan(of events: [Event], history: String, engine: Engine) async throws -> Plan {
        guard case .runStarted(_, let hash, _, _, _) = events.first?.kind else {
            throw ReplayInputError(message: "\(history) does not start with RunStarted")
        }
        guard let definition = try await engine.store.definition(hash: hash) else {
            throw ReplayInputError(message: "the definition \(hash.prefix(12)) that \(history) pinned is not in the store; give --workflow FILE")
        }
        return try engine.plan(for: definition)
    }

    static func readHistory(_ path: String) throws -> [Event] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReplayInputError(message: "cannot read \(path)") }
        var events: [Event] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { events.append(try Event(json: try JSONValue(parsing: String(line)))) } catch {
                throw ReplayInputError(message: "\(path):\(number + 1): \(error)")
            }
        }
        return events
    }
}
