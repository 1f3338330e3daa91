import ApexEngine
import ApexStorePostgres
import ApexStoreSQLite
import ArgumentParser
import Foundation

/// `apex bench peers`: the scenarios the peers were measured on, in their shapes.
struct BenchPeersCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "Run the peers' scenarios (Temporal's and DBOS's shapes) on Apex.",
        discussion: """
            The scenarios that scripts/bench-peers.sh runs on the Temporal dev server and DBOS, \
            run here on Apex; docs/benchmarks.md explains each and sets the figures side by \
            side. One line each: (a) sequential start latency, 50 warm-up + 500; (b) start to \
            result of a one-activity run, 50 warm-up + 200; (c) per-activity time in one run of \
            200 sequential activities (median of 3, with CPU time); (d) runs sleeping 10 s on a \
            durable timer, started by 50 starters and driven by one worker in this process; \
            (e) 1,000 one-activity runs by 50 starters that wait for each result; (f) `apex run` \
            of 20 steps of 0.3 s SIGKILLed once step 10 started, then `apex resume`: the time \
            to the result and the executions of each step. An activity is a mock llm step.

            Uses a fresh SQLite file in a temporary folder (removed afterwards) unless --db \
            names a SQLite file or a PostgreSQL database (migrated if needed; the runs go to a \
            namespace of their own, bench-peers-PID, and stay there).

            Examples:
              apex bench peers
              apex bench peers --quick
              apex bench peers --timers 1000,10000 --json-out results.jsonl
            """
    )

    @Option(name: .customLong("db"), help: "The store: a SQLite file, or a postgres:// URL (default: a new SQLite file in a temporary folder).")
    var database: String?

    @Option(help: "Sizes of the timer scenario, comma-separated (default: 1000; with --quick 200).")
    var timers: String?

    @Flag(help: "Smaller sizes for a smoke run of a few seconds (the sizes of scripts/bench-peers.sh --quick).")
    var quick = false

    @Option(name: .customLong("json-out"), help: "Append one JSON line per scenario to this file (the peer drivers' keys).", completion: .file())
    var jsonOut: String?

    /// The sizes of `--timers`; nil when it is not a list of positive counts.
    private var timerSizes: [Int]? {
        guard let timers else { return nil }
        let sizes = timers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return sizes.allSatisfy({ ($0 ?? 0) > 0 }) && !sizes.isEmpty ? sizes.compactMap { $0 } : nil
    }

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        if timers != nil, timerSizes == nil { throw ValidationError("--timers must be run counts above 0 separated by commas, e.g. 1000,10000") }
    }

    func run(console: Console) async throws -> ExitCode {
        var sizes = quick ? PeerBench.Sizes.quick : .full
        if let timerSizes { sizes.timers = timerSizes }
        let sink = try jsonOut.map(Self.appending)
        defer { try? sink?.close() }
        let scratch = ScratchDatabase()
        defer { if database == nil { scratch.remove() } }
        let bench: PeerBench
        if let database, database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            let configuration: PostgresStoreConfiguration
            do { configuration = try PostgresStoreConfiguration(url: database) } catch { throw SettingsError(error.description) }
            console.error.writeLine("apex bench peers: store \(configuration.redactedURL)")
            let namespace = "bench-peers-\(getpid())"
            let store = PostgresRunStore(configuration: configuration, namespace: namespace)
            try await store.migrate()
            bench = PeerBench(store: store, childStore: .postgres(url: database, namespace: namespace), config: "apex-pg", sizes: sizes,
                              console: console, jsonSink: sink)
        } else {
            let path = database.map { $0.hasPrefix("sqlite:") ? String($0.dropFirst("sqlite:".count)) : $0 } ?? scratch.path
            console.error.writeLine("apex bench peers: store \(path)")
            bench = PeerBench(store: try SQLiteRunStore(path: path), childStore: .sqlite(path: path), config: "apex-sqlite", sizes: sizes,
                              console: console, jsonSink: sink)
        }
        try await bench.runAll()
        return .success
    }

    /// `path` opened for appending, created if missing.
    private static func appending(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw SettingsError("cannot create \(path)") }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw SettingsError("cannot open \(path) for writing") }
        handle.seekToEndOfFile()
        return handle
    }
}
