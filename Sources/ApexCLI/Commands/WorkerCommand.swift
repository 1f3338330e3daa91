import ApexDSL
import ApexEngine
import ArgumentParser
import ApexServer
import Foundation

/// `apex worker`: drives every unfinished run it can claim until stopped.
struct WorkerCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Drive every unfinished run it can claim (due timers, new signals, runs whose owner died).",
        discussion: """
            Several workers can share one store, on one machine (SQLite) or many (PostgreSQL): \
            each run is driven by one process at a time (its lease), and a worker that dies \
            loses its runs to the others once the lease expires (5 s). A worker claims only runs \
            of its namespace and of its task queues. A run that only waits (for a timer or a \
            signal) is released, so waiting runs cost no memory; it is claimed again when the \
            timer is due or a signal arrives.

            On SIGTERM or SIGINT the worker drains: it stops claiming, lets the attempts in \
            flight finish (at most --drain-timeout, then cancels them), hands every run it \
            holds over to the other workers (they take them at once, not after a lease \
            expiry) and exits 0. Rolling update: start the new workers, then SIGTERM the old.

            A run is driven with the routing it recorded at its start (--mock-llm, the content \
            of --llm-fixtures); these flags apply only to runs started before runs recorded \
            their routing. A run whose provider key this worker lacks is left to another \
            worker (logged once, claimed again at most twice a minute).

            Examples:
              apex worker --concurrency 50 --mock-llm
              apex worker -n billing --task-queue gpu --task-queue default-queue
            """
    )

    @OptionGroup var worker: WorkerFlags

    @Option(name: .customLong("metrics-addr"), help: "Serve Prometheus metrics at HOST:PORT/metrics; off for none, as with apex serve (default: none).")
    var metricsAddr: String?

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        // Installed by `main` before the arguments are parsed (a SIGTERM during start-up must
        // stop the worker cleanly, not kill it); again here for callers that skip `main`.
        let stop = StopFlag.installed()
        let settings = Settings(console: console)
        let options = try worker.options(settings: settings)
        let metricsAddress = try metricsAddr.flatMap { text -> (host: String, port: Int)? in
            if text == "off" { return nil }
            guard let address = ServerConfiguration.parseAddress(text) else { throw ValidationError("--metrics-addr must be HOST:PORT or off") }
            return address
        }
        let engine = try await EngineFactory.engine(console, store: store, llm: llm, maxActivities: worker.concurrency)
        console.error.writeLine("worker \(engine.configuration.workerName) started: namespace \(engine.store.namespace), "
            + "task queue(s) \(options.taskQueues.joined(separator: ", ")), concurrency \(worker.concurrency), max runs \(options.maxRuns)")
        let printer = console.error
        let metrics = metricsAddress.map { address in
            Task { try await MetricsServer.run(engine: engine, host: address.host, port: address.port, isStopped: { stop.isSet }) { port in
                printer.writeLine("metrics on http://\(address.host):\(port)/metrics")
            } }
        }
        await engine.runWorker(options, isStopped: { stop.isSet }, report: { printer.writeLine($0) })
        try await metrics?.value
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

/// The flags of a worker, in `apex worker` and `apex serve`.
struct WorkerFlags: ParsableArguments {
    @Option(help: "The most llm and http calls in flight at once.")
    var concurrency = 20

    @Option(name: .customLong("max-runs"), help: "The most runs held in memory (driven) at once.")
    var maxRuns = 1000

    @Option(name: .customLong("task-queue"),
            help: "A task queue to serve (repeatable; default: APEX_TASK_QUEUE, else apex-orchestrator).")
    var taskQueues: [String] = []

    @Option(name: .customLong("drain-timeout"),
            help: "On SIGTERM, how long attempts in flight may run before they are cancelled and their runs handed over (e.g. 30s, 2m).")
    var drainTimeout = "30s"

    func options(settings: Settings) throws -> Engine.WorkerOptions {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1") }
        let drain: ApexDSL.Duration
        do { drain = try Duration.parse(drainTimeout) } catch {
            throw ValidationError("--drain-timeout \"\(drainTimeout)\" is not a duration: \(error) (e.g. 30s, 2m)")
        }
        return Engine.WorkerOptions(maxRuns: maxRuns, taskQueues: try settings.taskQueues(flags: taskQueues), drainTimeout: drain)
    }
}
