import ApexEngine
import ArgumentParser
import Foundation

/// Drives a run in this process for `apex run` and `apex resume`: live lines on stderr, the
/// output on stdout, the exit status of cli.md, and Ctrl-C leaving the run durable.
struct RunFollower {
    let engine: Engine
    let console: Console
    let json: Bool

    func follow(_ runID: String) async throws -> ExitCode {
        let interrupt = InterruptHandler { [console] in
            console.error.writeLine("\ninterrupted: run \(runID) is durable; continue it with: apex resume \(runID)")
        }
        defer { interrupt.cancel() }
        let printer = ProgressPrinter(stream: console.error, style: console.style(for: console.error), runID: runID)
        console.error.writeLine("run \(runID)")
        let outcome = try await engine.drive(runID: runID, untilFinished: true, observer: printer)
        guard case .finished(let record) = outcome else { return .success }
        if json {
            console.output.writeLine(RunJSON.record(record).prettyJSON)
        } else if let output = record.output {
            console.output.writeLine(output.prettyJSON)
        }
        return Self.status(of: record)
    }

    static func status(of record: RunRecord) -> ExitCode {
        switch record.status {
        case .completed: .success
        case .failed, .timedOut: ExitCode(1)
        case .cancelled: ExitCode(3)
        case .running: .success
        }
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
