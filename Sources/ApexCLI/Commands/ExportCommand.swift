import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex export RUN`: a run, its descendant child runs and the definitions they pin, as one
/// JSON document that `apex import` loads into another store.
struct ExportCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run, its child runs and their definitions as one JSON document.",
        discussion: """
            The document holds each run's row (as apex runs --json prints it) and its whole \
            history (as apex history --json prints it), for the run and every child run its \
            workflow steps started, at any depth, and the stored definition of every workflow \
            they pinned. apex import loads it into another store, where an unfinished run can \
            be resumed. A run being driven can be exported: each run is read at one moment.

            Examples:
              apex export 01JD3K7Q2M8R5T9V4W6X0Y1Z2A > run.json
              apex export ticket-42 --output ticket-42.json
              apex export ticket-42 | apex import - --db sqlite:/tmp/other.db

            Exit status: 0 written, 1 a definition the runs pin is missing from the store, \
            2 unknown run.
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Option(name: [.short, .long], help: "Write the document to this file (replaced if it exists) instead of standard output.",
            completion: .jsonFiles)
    var output: String?

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let store = try await EngineFactory.store(self.store, settings: Settings(console: console))
        guard try await store.run(id: runID) != nil else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        let export: RunExport
        do {
            export = try await Self.collect(runID, from: store)
        } catch let problem as RunExport.Problem {
            console.error.writeLine("error: \(problem)")
            return ExitCode(1)
        }
        let text = export.json.prettyJSON + "\n"
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                console.error.writeLine("error: cannot write \(output): \(error.localizedDescription)")
                return ExitCode(1)
            }
        } else {
            console.output.write(text)
        }
        let events = export.runs.reduce(0) { $0 + $1.events.count }
        console.error.writeLine("exported \(export.runs.count) run\(export.runs.count == 1 ? "" : "s") (\(events) events) and "
            + "\(export.definitions.count) definition\(export.definitions.count == 1 ? "" : "s")\(output.map { " to \($0)" } ?? "")")
        return .success
    }

    /// The run `root`, its descendants (each after its parent) and the definitions they pin.
    static func collect(_ root: String, from store: any RunStore) async throws -> RunExport {
        var runs: [RunExport.Run] = []
        var queue = [root]
        var seen: Set<String> = [root]
        while !queue.isEmpty {
            let id = queue.removeFirst()
            guard let run = try await snapshot(id, from: store) else { continue }
            runs.append(run)
            for child in try await children(of: run, in: store) where seen.insert(child).inserted { queue.append(child) }
        }
        var definitions: [StoredDefinition] = []
        var hashes = Set<String>()
        for run in runs {
            for hash in run.pinnedHashes where hashes.insert(hash).inserted {
                guard let definition = try await store.definition(hash: hash) else {
                    throw RunExport.Problem("run \(run.record.id) pins definition \(hash), which is not in the store")
                }
                definitions.append(definition)
            }
        }
        return RunExport(exportedAt: Timestamp(Date()), runs: runs, definitions: definitions)
    }

    /// The run's row and history as of one moment: the row is read before and after the
    /// history, and again while a commit fell between (a driver may be appending).
    private static func snapshot(_ id: String, from store: any RunStore) async throws -> RunExport.Run? {
        guard var record = try await store.run(id: id) else { return nil }
        for _ in 0..<20 {
            let events = try await store.events(runID: id, after: 0)
            guard let after = try await store.run(id: id) else { return nil }
            if after.lastSeq == record.lastSeq, events.count == after.lastSeq { return RunExport.Run(record: after, events: events) }
            record = after
        }
        throw RunExport.Problem("run \(id) kept changing while it was read; export it again")
    }

    /// The child runs the run's `workflow` steps started (every attempt's), oldest first.
    private static func children(of run: RunExport.Run, in store: any RunStore) async throws -> [String] {
        try await store.runs(RunFilter(parentRunID: run.record.id, limit: Int.max)).reversed().map(\.id)
    }
}
