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
            record = try await watch(runID, printer: printer)
        }
        if json {
            console.output.writeLine(RunJSON.record(record).prettyJSON)
        } else if let output = record.output {
            console.output.writeLine(output.prettyJSON)
        }
        return Self.status(of: record)
    }

    /// Follows a run driven elsewhere by reading its new events until it finishes.
    private func watch(_ runID: String, printer: ProgressPrinter) async throws -> RunRecord {
        guard let record = try await engine.store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        let plan = try await engine.plan(forRun: record)
        var events = try await engine.store.events(runID: runID, after: 0)
        var machine = try Replayer.replay(plan: plan, runID: runID, events: events)
        printer.loaded(events, machine: machine)
        while !machine.status.isFinished {
            try await Task.sleep(nanoseconds: 200_000_000)
            events = try await engine.store.events(runID: runID, after: machine.lastSeq)
            for event in events { try Replayer.replay(event, into: &machine) }
            if !events.isEmpty { printer.committed(events, machine: machine) }
        }
        guard let finished = try await engine.store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        return finished
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
