import ApexDSL
import ApexEngine
import ApexLLM
import ApexStoreSQLite
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
@testable import ApexServer

/// An `apex serve` in this process: SQLite in a temporary folder, the mock LLM provider, a
/// worker, listening on a free port of 127.0.0.1; stopped with ``stop()``.
final class TestServer: Sendable {
    let port: Int
    let metricsPort: Int?
    let folder: URL
    let engine: Engine
    let metrics: ServerMetrics
    private let stopFlag: AtomicFlag
    private let task: Task<Void, Error>

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts a server; `environment` configures auth as `apex serve` reads it.
    static func start(environment: [String: String] = [:], worker: Bool = true, metrics: Bool = true,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("apex.db").path
        @Sendable func makeEngine(_ namespace: String) throws -> Engine {
            let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider()]))
            return Engine(store: try SQLiteRunStore(path: path, namespace: namespace), executor: executor,
                          configuration: EngineConfiguration(workerID: "test-\(namespace)-\(UUID().uuidString.prefix(6))"))
        }
        let engine = try makeEngine(Namespace.defaultName)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, metricsHost: metrics ? "127.0.0.1" : nil, metricsPort: 0,
                                                worker: worker ? Engine.WorkerOptions(maxRuns: 100) : nil, version: "test")
        configure(&configuration)
        let namespaces = Namespaces(seeded: [engine]) { namespace in try makeEngine(namespace) }
        let auth = try await AuthConfiguration.fromEnvironment(environment)
        var logger = Logger(label: "apex.server.test")
        logger.logLevel = .warning
        let serverMetrics = ServerMetrics()
        let server = APIServer(configuration: configuration, engine: engine, namespaces: namespaces, auth: auth, metrics: serverMetrics, logger: logger)
        let stop = AtomicFlag()
        let (ports, continuation) = AsyncStream<(Int, Int?)>.makeStream()
        let task = Task {
            try await server.run(isStopped: { stop.isSet }) { api, metrics in continuation.yield((api, metrics)) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let (api, metricsPort) = await iterator.next() else { throw CancellationError() }
        return TestServer(port: api, metricsPort: metricsPort, folder: folder, engine: engine, metrics: serverMetrics, stopFlag: stop, task: task)
    }

    private init(port: Int, metricsPort: Int?, folder: URL, engine: Engine, metrics: ServerMetrics, stopFlag: AtomicFlag, task: Task<Void, Error>) {
        self.port = port
        self.metricsPort = metricsPort
        self.folder = folder
        self.engine = engine
        self.metrics = metrics
        self.stopFlag = stopFlag
        self.task = task
    }

    /// Shuts down as SIGTERM does and waits for the end.
    func stop() async throws {
        stopFlag.set()
        try await task.value
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A response read whole.
struct HTTPReply {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
}

/// Requests over real HTTP.
enum HTTP {
    static func send(_ method: HTTPMethod, _ url: String, body: String? = nil, headers: [(String, String)] = []) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return HTTPReply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> HTTPReply {
        try await send(.GET, url, headers: headers)
    }

    static func post(_ url: String, _ body: JSONValue, headers: [(String, String)] = []) async throws -> HTTPReply {
        try await send(.POST, url, body: body.compactJSON, headers: headers)
    }
}
