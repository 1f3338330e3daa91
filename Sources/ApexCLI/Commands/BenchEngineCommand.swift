import ApexEngine
import ApexStorePostgres
import ApexStoreSQLite
import ArgumentParser
import Foundation

/// `apex bench engine`: times the durable engine against a fresh SQLite store.
struct BenchEngineCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time the engine: starts, per-step overhead, replay, waiting runs, throughput.",
        discussion: """
            Uses a fresh SQLite file in a temporary folder (removed afterwards) unless --db \
            names a SQLite file or a PostgreSQL database (migrated if needed; the bench's runs \
            go to namespaces of their own, bench-PID…, and stay there). Measures, one line \
            each: on SQLite, the disk's floor (a one-row commit as the store commits, which \
            every other figure stands on); durably starting a run; engine time per \
            `set` step and per mock `llm` step; engine time per `agent` turn (a scripted \
            mock model asking for one `http` tool call per turn, answered by a local server); loading (reading and replaying) a run with a \
            long history; creating runs that wait on a timer, and one claim query over them; \
            one process holding many active runs waiting for a signal (RSS before and after); \
            completed one-step runs per second with concurrent starters; the peers' timer \
            scenario (--timers sizes: runs sleeping 10 s, started by the starters, driven by \
            one worker in this process: time to start all, to complete all, peak RSS). On \
            PostgreSQL also: \
            the same throughput with 1, 2 and 4 `apex worker` processes driving the runs the \
            starters start, and the wake-up of a worker after a signal.

            Examples:
              apex bench engine
              apex bench engine --runs 200 --waiting 10000 --active 1000 --seconds 3
              apex bench engine --db postgres://apex:secret@127.0.0.1:5432/apex --waiting 20000
            """
    )

    @Option(name: .customLong("db"), help: "The store: a SQLite file, or a postgres:// URL (default: a new SQLite file in a temporary folder).")
    var database: String?

    @Option(help: "Runs started for the start latency.")
    var runs = 1000

    @Option(help: "Steps per run for the per-step overhead.")
    var steps = 200

    @Option(help: "Events in the history that is loaded (even; at most 50000).")
    var events = 50_000

    @Option(help: "Timed repetitions of the per-step, replay and claim measurements.")
    var iterations = 10

    @Option(help: "Runs created waiting on a 1-hour sleep (0 skips).")
    var waiting = 100_000

    @Option(help: "Runs driven at once, each waiting for a signal (0 skips).")
    var active = 10_000

    @Option(help: "Concurrent starters for the throughput measurement.")
    var starters = 50

    @Option(help: "Seconds the throughput measurement lasts.")
    var seconds = 5.0

    @Option(help: "Sizes of the timer scenario (runs sleeping 10 s), comma-separated; 0 skips it.")
    var timers = "1000,10000"

    /// The sizes of `--timers`, 0 dropped.
    private var timerSizes: [Int] { timers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 } }

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        guard runs >= 1, steps >= 1, iterations >= 1, starters >= 1 else {
            throw ValidationError("--runs, --steps, --iterations and --starters must be at least 1")
        }
        guard (4...50_000).contains(events), events.isMultiple(of: 2) else { throw ValidationError("--events must be even, from 4 to 50000") }
        guard waiting >= 0, active >= 0, seconds > 0 else { throw ValidationError("--waiting and --active must be at least 0, --seconds above 0") }
        guard timers.split(separator: ",").allSatisfy({ Int($0.trimmingCharacters(in: .whitespaces)).map { $0 >= 0 } ?? false }) else {
            throw ValidationError("--timers must be run counts separated by commas, e.g. 1000,10000 (0 skips)")
        }
    }

    func run(console: Console) async throws -> ExitCode {
        let scratch = ScratchDatabase()
        defer { if database == nil { scratch.remove() } }
        if let database, database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            return try await runOnPostgres(url: database, console: console)
        }
        // A bare path is accepted too, unlike `APEX_DATABASE_URL`: the bench is a developer's tool.
        let path = database.map { $0.hasPrefix("sqlite:") ? String($0.dropFirst("sqlite:".count)) : $0 } ?? scratch.path
        console.error.writeLine("apex bench engine: store \(path)")
        try await measure(EngineBench(store: try SQLiteRunStore(path: path), console: console))
        return .success
    }

    /// Every line of SQLite's, on a namespace of the bench's own, then the worker processes'.
    private func runOnPostgres(url: String, console: Console) async throws -> ExitCode {
        let configuration: PostgresStoreConfiguration
        do { configuration = try PostgresStoreConfiguration(url: url) } catch { throw SettingsError(error.description) }
        console.error.writeLine("apex bench engine: store \(configuration.redactedURL)")
        let open: @Sendable (String) async throws -> any RunStore = { namespace in
            PostgresRunStore(configuration: configuration, namespace: namespace)
        }
        let store = try await open("bench-\(getpid())")
        try await store.migrate()
        try await measure(EngineBench(store: store, console: console))
        let workers = WorkerBench(url: url, open: open, console: console)
        for processes in [1, 2, 4] {
            try await workers.throughput(processes: processes, starters: starters, seconds: seconds)
        }
        try await workers.signalWakeUp(runs: 100)
        return .success
    }

    private func measure(_ bench: EngineBench) async throws {
        let floor = try bench.commitFloor()
        try await bench.startLatency(runs: runs)
        try await bench.perStep(steps: steps, iterations: iterations, floor: floor)
        try await AgentBench(bench: bench).perTurn(turns: 20, iterations: iterations, floor: floor)
        try await bench.replay(events: events, iterations: iterations)
        try await bench.throughput(starters: starters, seconds: seconds)
        for size in timerSizes { try await bench.timers(runs: size, starters: starters) }
        if waiting > 0 { try await bench.waiting(runs: waiting, iterations: iterations) }
        if active > 0 { try await bench.activeRuns(runs: active, timeout: 300) }
    }
}
