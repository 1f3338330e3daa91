import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex import FILE`: loads what `apex export` wrote into the store.
struct ImportCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load runs written by apex export into the store.",
        discussion: """
            The definitions are stored (a definition already there is kept), then each run \
            with its row and whole history, children before their parents. An unfinished run \
            is left to be driven here: apex resume RUN, or a worker serving its task queue (kept \
            from the export), takes it up where its history ends (a call that was in flight is \
            retried, a timer fires when due). The runs go to this store's namespace.

            All or nothing: when a run id of the document is already in the store, nothing is \
            imported and the ids are listed. The document is checked first (format and \
            version, events numbered from 1, every pinned definition present); a problem is \
            reported on one line.

            Examples:
              apex import run.json --db sqlite:/srv/apex/apex.db
              apex export ticket-42 | apex import - --db sqlite:/tmp/other.db
              apex import run.json --json   (prints {"namespace", "runs", "definitions"})

            Exit status: 0 imported, 1 a run id is already in the store, 2 unreadable or \
            invalid document.
            """
    )

    @Argument(help: "The document apex export wrote, or - for standard input.", completion: .jsonFiles)
    var file: String

    @Flag(help: "Print what was imported as JSON: the namespace, each run (id, workflow, status, events) and each definition (hash, workflow).")
    var json = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let name = file == "-" ? "standard input" : file
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            console.error.writeLine("error: cannot read \(file): \(error.localizedDescription)")
            return .badInput
        }
        let export: RunExport
        do {
            let json = try data.withUnsafeBytes { try JSONValue(parsingUTF8: $0) }
            export = try RunExport(json: json)
        } catch let problem as RunExport.Problem {
            console.error.writeLine("error: \(name): \(problem)")
            return .badInput
        } catch {
            console.error.writeLine("error: \(name) is not JSON: \(error)")
            return .badInput
        }

        let store = try await EngineFactory.store(self.store, settings: Settings(console: console))
        var existing: [String] = []
        for run in export.runs {
            if try await store.run(id: run.record.id) != nil { existing.append(run.record.id) }
        }
        guard existing.isEmpty else {
            console.error.writeLine("error: already in the store, so nothing was imported: \(existing.joined(separator: ", "))")
            return ExitCode(1)
        }
        for definition in export.definitions { try await store.saveDefinition(definition) }
        var raced: [String] = []
        for run in export.runsChildrenFirst {
            var record = run.record
            record.namespace = store.namespace
            // No wake-up time: an unfinished run is claimable at once, and its driver recomputes
            // its timers from the history.
            let update = RunUpdate(status: record.status, output: record.output, error: record.error, currentStep: record.currentStep,
                                   finishedAt: record.finishedAt, wakeAt: nil)
            if case .existing = try await store.createRun(record, events: run.events, update: update) { raced.append(record.id) }
        }
        guard raced.isEmpty else {
            console.error.writeLine("error: created by another process meanwhile, so not imported: \(raced.joined(separator: ", ")); the other runs were imported")
            return ExitCode(1)
        }
        if json {
            let runs = export.runs.map { run -> JSONValue in
                ["id": .string(run.record.id), "workflow": .string(run.record.workflow), "status": .string(run.record.status.rawValue),
                 "events": .int(run.events.count)]
            }
            let definitions = export.definitions.map { definition -> JSONValue in
                ["hash": .string(definition.hash), "workflow": .string(definition.workflow)]
            }
            let printed: JSONValue = ["namespace": .string(store.namespace), "runs": .array(runs), "definitions": .array(definitions)]
            console.output.writeLine(printed.prettyJSON)
            return .success
        }
        let events = export.runs.reduce(0) { $0 + $1.events.count }
        let unfinished = export.runs.filter { !$0.record.status.isFinished }.count
        console.error.writeLine("imported \(export.runs.count) run\(export.runs.count == 1 ? "" : "s") (\(events) events) and "
            + "\(export.definitions.count) definition\(export.definitions.count == 1 ? "" : "s")"
            + (unfinished == 0 ? "" : "; \(unfinished) unfinished, for apex resume or a worker to drive"))
        return .success
    }
}
