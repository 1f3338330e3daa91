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

            Examples:
              apex worker --concurrency 50 --mock-llm
            """
    )

    @Option(help: "How many runs to drive at once.")
    var concurrency = 20

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        let engine = try EngineFactory.engine(console, store: store, llm: llm)
        let stop = StopFlag()
        let handlers = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer { handlers.forEach { $0.cancel() } }
        console.error.writeLine("worker \(engine.configuration.workerID) started (concurrency \(concurrency))")
        let printer = console.error
        let active = ActiveRuns()
        await withDiscardingTaskGroup { group in
            while !stop.isSet {
                let free = concurrency - (await active.count)
                if free > 0, let ids = try? await engine.store.claimableRuns(now: Timestamp(Date()), limit: free) {
                    for id in ids where await active.insert(id) {
                        group.addTask {
                            do {
                                if case .finished(let record) = try await engine.drive(runID: id, untilFinished: false, waitForLease: false) {
                                    printer.writeLine("run \(id) \(record.status.rawValue)")
                                }
                            } catch EngineError.runBusy {
                                // Another worker took it first.
                            } catch {
                                printer.writeLine("run \(id): \(error)")
                            }
                            await active.remove(id)
                        }
                    }
                }
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
            // Drivers release runs that only wait at once; those with calls in flight finish them.
            printer.writeLine("stopping: waiting for \(await active.count) run(s) to reach a safe point")
        }
        console.error.writeLine("worker stopped")
        return .success
    }

}
/// The runs this worker drives now.
actor ActiveRuns {
    private var ids = Set<String>()
    var count: Int { ids.count }
    func insert(_ id: String) -> Bool { ids.insert(id).inserted }
    func remove(_ id: String) { ids.remove(id) }
}

/// Set once by a signal handler, read by the worker loop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
