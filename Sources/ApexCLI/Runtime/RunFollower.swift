import ApexEngine
import ArgumentParser
import Foundation

/// Drives a run in this process for `apex run` and `apex resume`: live lines on stderr, the output
/// on stdout, the exit status of docs/cli.md, "`apex run`", and Ctrl-C leaving the run durable.
struct RunFollower {
    let engine: Engine
    let console: Console
    let json: Bool
    /// Whether this command has just started the run (its first steps are printed too).
    var startedHere = false

    func follow(_ runID: String) async throws -> ExitCode {
        let interrupt = InterruptHandler { [console] in
            console.error.writeLine("\ninterrupted: run \(runID) is durable; continue it with: apex resume \(runID)")
        }
        defer { interrupt.cancel() }
        let printer = ProgressPrinter(stream: console.error, style: console.style(for: console.error), runID: runID, printsLoadedHistory: startedHere)
        console.error.writeLine("run \(runID)")
        let record: RunRecord
        do {
            guard case .finished(let finished) = try await engine.drive(runID: runID, untilFinished: true, observer: printer) else { return .success }
            record = finished
        } catch EngineError.runBusy {
            console.error.writeLine("run \(runID) is driven by another process (a worker); following it")
            record = try await engine.follow(runID: runID, observer: printer)
        }
        if json {
            console.output.writeLine(RunJSON.record(record).prettyJSON)
        } else if let output = record.output {
            console.output.writeLine(output.prettyJSON)
        }
        return ExitCode(runStatus: record.status)
    }
}

/// On SIGINT, says how to resume and exits 130: every event is committed before it is acted
/// on, so stopping anywhere leaves the run durable.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    init(message: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            message()
            exit(130)
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
