import ApexDSL
import ApexEngine

/// How `apex serve` listens and behaves.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Where Prometheus scrapes `/metrics`; nil for none.
    public var metricsHost: String?
    public var metricsPort: Int
    /// The worker in the same process (nil: `--no-worker`).
    public var worker: Engine.WorkerOptions?
    /// The largest request body accepted (413 past it).
    public var maxBodyBytes: Int
    /// How often an idle stream sends a heartbeat.
    public var heartbeatInterval: Duration
    /// How often a stream reads the store for events committed by other processes.
    public var streamPollInterval: Duration
    /// How many live token deltas a stream keeps for a slow client before it ends the stream.
    public var streamBuffer: Int
    /// The `apex` version, in `/healthz` and the `Server` header.
    public var version: String
    /// A folder to serve the web UI's files from instead of the copies compiled in
    /// (`APEX_UI_DIR`, for working on the UI without rebuilding).
    public var uiDirectory: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, metricsHost: String? = "127.0.0.1", metricsPort: Int = 9090,
                worker: Engine.WorkerOptions? = nil, maxBodyBytes: Int = 4 << 20, heartbeatInterval: Duration = .seconds(15),
                streamPollInterval: Duration = Duration(milliseconds: 250), streamBuffer: Int = 1024, version: String = "dev",
                uiDirectory: String? = nil) {
        self.host = host
        self.port = port
        self.metricsHost = metricsHost
        self.metricsPort = metricsPort
        self.worker = worker
        self.maxBodyBytes = maxBodyBytes
        self.heartbeatInterval = heartbeatInterval
        self.streamPollInterval = streamPollInterval
        self.streamBuffer = streamBuffer
        self.version = version
        self.uiDirectory = uiDirectory
    }

    /// Whether `host` is a loopback address (where an unauthenticated server may listen).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// `HOST:PORT` (IPv6 in brackets) as `--addr` takes it.
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }
}
