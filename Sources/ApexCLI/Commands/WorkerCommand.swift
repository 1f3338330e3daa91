import ApexEngine
import ArgumentParser
import Foundation

/// `apex worker`: drives every unfinished run it can claim until stopped.
struct WorkerCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Drive every unfinished run it can claim (due timers, new signals, runs whose owner died).",
        discussion: """
            Several workers can share one store: each run is driven by one process at a time \
            (its lease), and a worker that dies loses its runs to the others once the lease \
            expires. A run that only waits (for a timer or a signal) is released, so waiting \
            runs cost no memory; it is claimed again when the timer is due or a signal arrives.

            On SIGTERM or SIGINT the worker stops claiming, lets its drivers reach a safe point \
            and exits 0.

            A run is driven with the routing it recorded at its start (--mock-llm, the content \
            of --llm-fixtures); these flags apply only to runs started before runs recorded \
            their routing. A run whose provider key this worker lacks is left to another \
            worker (logged once, claimed again at most twice a minute).

            Examples:
              apex worker --concurrency 50 --mock-llm
            """
    )

    @Option(help: "How many runs to drive at once.")
    var concurrency = 20

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        // Installed by `main` before the arguments are parsed (a SIGTERM during start-up must
        // stop the worker cleanly, not kill it); again here for callers that skip `main`.
        let stop = StopFlag.installed()
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        let engine = try EngineFactory.engine(console, store: store, llm: llm)
        console.error.writeLine("worker \(engine.configuration.workerID) started (concurrency \(concurrency))")
        let printer = console.error
        await engine.runWorker(Engine.WorkerOptions(concurrency: concurrency), isStopped: { stop.isSet }, report: { printer.writeLine($0) })
        console.error.writeLine("worker stopped")
        return .success
    }
}

/// Set by SIGTERM or SIGINT, read by the worker loop (which looks at it at every poll).
///
/// A plain signal handler that only stores a flag (async-signal-safe), installed by `main`
/// before the arguments are parsed: no window in which the default action would kill the
/// process, and none in which a signal would be ignored and lost.
final class StopFlag: Sendable {
    var isSet: Bool { stopSignalled != 0 }

    private static let shared = StopFlag()

    /// The process's flag, with its handlers installed (again: installing is idempotent).
    static func installed() -> StopFlag {
        signal(SIGTERM) { _ in stopSignalled = 1 }
        signal(SIGINT) { _ in stopSignalled = 1 }
        return shared
    }
}

/// Written only by the signal handler above.
nonisolated(unsafe) private var stopSignalled: sig_atomic_t = 0
