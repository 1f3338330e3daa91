import ApexEngine
import ArgumentParser

/// `apex resume RUN`: drives an unfinished run to its end, as `apex run` does.
struct ResumeCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Drive an unfinished run (after a crash, Ctrl-C or --detach) to its end.",
        discussion: """
            Completed steps are not run again: the run's state is rebuilt from its history. A \
            call that was in flight when the previous process stopped is retried as its next \
            attempt. If the process that held the run's lease was on this machine and has \
            exited, resume takes over at once; if another process holds it (alive, or on \
            another machine), resume waits for the lease to expire (a few seconds).

            The run is driven as it recorded at its start: its pinned workflow and children \
            (no file is read) and its llm routing (--mock-llm, the content of --llm-fixtures), \
            so no flag is needed; these flags apply only to runs started before runs recorded \
            their routing. A run whose provider key is missing here is refused before anything \
            is appended.

            Examples:
              apex resume 01JD3K7Q2M8R5T9V4W6X0Y1Z2A

            Exit status: as apex run (0 completed, 1 failed, 3 cancelled, 130 interrupted), \
            2 for an unknown run or a missing provider key (the run is unchanged).
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Flag(help: "Print the run's final record as JSON instead of only its output.")
    var json = false

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let engine = try await EngineFactory.engine(console, store: store, llm: llm)
        guard let record = try await engine.store.run(id: runID) else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        if record.status.isFinished {
            console.error.writeLine("run \(runID) has already \(record.status.rawValue)")
            if let output = record.output { console.output.writeLine(output.prettyJSON) }
            return ExitCode(runStatus: record.status)
        }
        // A process without a provider's key must not drive the run: its calls would fail for
        // good. Refused before anything is appended.
        let missing = try await engine.missingRequirements(forRun: record)
        guard missing.isEmpty else {
            for problem in missing { console.error.writeLine("error: \(problem); set it and resume again (the run is unchanged)") }
            return .badInput
        }
        return try await RunFollower(engine: engine, console: console, json: json).follow(runID)
    }
}
