import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex show RUN`: one run, with a table of its steps.
struct ShowCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: status, input, output or error, and a table of steps.",
        discussion: """
            The step table (status, attempts, duration, tokens) is rebuilt from the run's \
            history. Secrets never appear: they are not stored.

            Examples:
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --json
            """
    )

    @Argument(help: "The run id.")
    var runID: String

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        let engine = try await EngineFactory.engine(console, store: store, llm: nil)
        guard let run = try await ReplayedRun.load(runID, from: engine) else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        let (record, steps) = (run.record, run.steps)
        let tokens = steps.compactMap(\.usage).reduce(Usage(inputTokens: 0, outputTokens: 0), +)
        if json {
            console.output.writeLine(RunJSON.detail(record, steps: steps).prettyJSON)
            return .success
        }
        let end = record.finishedAt ?? Timestamp(Date())
        console.output.writeLine("run       \(record.id)")
        console.output.writeLine("workflow  \(record.workflow) (\(record.definitionHash.prefix(12)))")
        console.output.writeLine("status    \(record.status.rawValue)\(record.currentStep.map { " at \($0)" } ?? "")")
        console.output.writeLine("started   \(record.startedAt)  (\(TextTable.duration(milliseconds: end.milliseconds - record.startedAt.milliseconds)))")
        console.output.writeLine("tokens    \(tokens.inputTokens) in, \(tokens.outputTokens) out")
        console.output.writeLine("input     \(record.input.compactJSON)")
        if let output = record.output { console.output.writeLine("output    \(output.compactJSON)") }
        if let error = record.error { console.output.writeLine("error     \(error.type): \(error.message)") }
        var rows = [["STEP", "STATUS", "ATTEMPTS", "DURATION", "TOKENS"]]
        for step in steps {
            let duration = TextTable.duration(milliseconds: (step.finishedAt ?? end).milliseconds - step.startedAt.milliseconds)
            let tokens = step.usage.map { "\($0.inputTokens + $0.outputTokens)" } ?? "-"
            rows.append([step.key, step.status.rawValue, "\(step.attempts)", duration, tokens])
        }
        console.output.write("\n" + TextTable.render(rows))
        return .success
    }
}
