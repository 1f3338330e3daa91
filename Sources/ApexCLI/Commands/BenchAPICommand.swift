import ApexDSL
import ApexEngine
import ApexServer
import ApexStoreSQLite
import ArgumentParser
import Foundation
import Logging

/// `apex bench api`: times `apex serve` over real HTTP on 127.0.0.1.
struct BenchAPICommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Time the HTTP API: a start, starts per second, a signal reaching an SSE subscriber, a graph as SVG.",
        discussion: """
            Starts `apex serve` in this process (a fresh SQLite file in a temporary folder, a \
            worker, the mock provider) on a free port of 127.0.0.1 and measures, with \
            keep-alive connections: a start of a registered workflow (POST /v1/runs, one \
            client, sequential); starts per second with --clients concurrent clients; the \
            delay from a signal's POST to its event on the run's SSE stream; and the graph \
            of a 40-step workflow and of a waiting run as SVG (GET .../graph?format=svg, --starts \
            times).

            Example:
              swift build -c release && .build/release/apex bench api --starts 1000 --clients 50
            """
    )

    @Option(help: "Sequential starts for the start latency.")
    var starts = 500

    @Option(help: "Concurrent clients for the throughput.")
    var clients = 50

    @Option(help: "Seconds the throughput measurement lasts.")
    var seconds = 5.0

    @Option(help: "Signals sent for the signal-to-subscriber delay.")
    var signals = 100

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        guard starts >= 1, clients >= 1, signals >= 1, seconds > 0 else { throw ValidationError("every count must be at least 1") }
    }

    func run(console: Console) async throws -> ExitCode {
        let scratch = ScratchDatabase()
        defer { scratch.remove() }
        let settings = Settings(console: console)
        let path = scratch.path
        let executor = EngineFactory.executor(fallback: .mock(fixtures: nil), settings: settings)
        let make: Namespaces.EngineMaker = { namespace in
            try FileManager.default.createDirectory(atPath: scratch.folder, withIntermediateDirectories: true)
            return EngineFactory.engine(store: try SQLiteRunStore(path: path, namespace: namespace), executor: executor, settings: settings)
        }
        let engine = try await make(Namespace.defaultName)
        var logger = Logger(label: "apex.bench.api")
        logger.logLevel = .error
        let server = APIServer(configuration: ServerConfiguration(port: 0, metricsHost: nil, worker: Engine.WorkerOptions(maxRuns: 1000), version: ApexCommand.version),
                               engine: engine, namespaces: Namespaces(seeded: [engine], make: make),
                               auth: try await AuthConfiguration.fromEnvironment([:]), metrics: ServerMetrics(), logger: logger)
        let stop = AtomicFlag()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let serving = Task { try await server.run(isStopped: { stop.isSet }) { port, _ in continuation.yield(port) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return .failure }
        console.error.writeLine("apex bench api: http://127.0.0.1:\(port), store \(path)")
        let bench = APIBench(base: "http://127.0.0.1:\(port)", console: console)
        do {
            try await bench.measure(starts: starts, clients: clients, seconds: seconds, signals: signals)
        } catch {
            stop.set()
            _ = try? await serving.value
            throw error
        }
        stop.set()
        try await serving.value
        return .success
    }
}
