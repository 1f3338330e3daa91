import ApexTesting
import Foundation
import Testing

/// The PostgreSQL cluster the binary fault tests run against and break on purpose:
/// `APEX_TEST_POSTGRES_URL` (what `scripts/postgres-cluster.sh start DIR` prints) and
/// `APEX_TEST_POSTGRES_CLUSTER_DIR` (that DIR, for `restart-immediate`). Without them the
/// suites that need them are disabled, except on CI (`CI` set), where they fail instead.
enum PostgresTestServer {
    private static let environment = ProcessInfo.processInfo.environment

    static let url = environment["APEX_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let clusterDirectory = environment["APEX_TEST_POSTGRES_CLUSTER_DIR"].flatMap { $0.isEmpty ? nil : $0 }

    static var isConfigured: Bool { url != nil && clusterDirectory != nil }
    static var isCI: Bool { environment["CI"] != nil }

    static let disabledReason: Comment = """
        APEX_TEST_POSTGRES_URL and APEX_TEST_POSTGRES_CLUSTER_DIR are not set: start a cluster with \
        `scripts/postgres-cluster.sh start DIR` and export what it prints and DIR
        """

    /// Thrown by suites that CI runs without a cluster: there they fail rather than skip.
    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "CI must run the PostgreSQL fault tests: set APEX_TEST_POSTGRES_URL and APEX_TEST_POSTGRES_CLUSTER_DIR (scripts/postgres-cluster.sh start DIR)"
        }
    }

    struct BadURL: Error, CustomStringConvertible {
        var description: String { "APEX_TEST_POSTGRES_URL is not a URL" }
    }

    /// The cluster's URL, or ``NotConfigured``.
    static func requireURL() throws -> String {
        guard let url, clusterDirectory != nil else { throw NotConfigured() }
        return url
    }

    /// The password of the cluster's URL, which no output of apex may ever show.
    static var password: String { url.flatMap { URLComponents(string: $0)?.password } ?? "apex-test-pw" }

    /// The cluster's URL with some parts replaced.
    static func url(database: String? = nil, password: String? = nil, port: Int? = nil, query: String? = nil) throws -> String {
        guard var components = URLComponents(string: try requireURL()) else { throw BadURL() }
        if let database { components.path = "/" + database }
        if let password { components.password = password }
        if let port { components.port = port }
        if let query { components.query = query }
        guard let url = components.string else { throw BadURL() }
        return url
    }

    /// Runs SQL with `psql` on `database` (default: the URL's own), returning its unaligned,
    /// tuples-only output; a failing statement is an error.
    @discardableResult
    static func psql(_ sql: String, database: String? = nil) async throws -> String {
        let result = try await Subprocess.run("/usr/bin/psql", [try url(database: database), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                              environment: ["PGCONNECT_TIMEOUT": "10"])
        guard result.status == 0 else { throw PsqlFailed(sql: sql, message: result.error) }
        return result.output
    }

    struct PsqlFailed: Error, CustomStringConvertible {
        var sql: String
        var message: String
        var description: String { "psql failed on \(sql): \(message)" }
    }

    /// A new, empty database on the cluster: its name.
    static func createDatabase() async throws -> String {
        let name = "apex_fault_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try await psql("CREATE DATABASE \(name)")
        return name
    }

    static func dropDatabase(_ name: String) async {
        _ = try? await psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// `scripts/postgres-cluster.sh` of this checkout.
    static let clusterScript: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/postgres-cluster.sh").path

    /// Kills the server without a checkpoint (`pg_ctl stop -m immediate`), waits `seconds`, and
    /// starts it again: `scripts/postgres-cluster.sh restart-immediate`, as a child process.
    /// Never while a test that cannot bear an outage runs (TestServerOutages).
    static func restartImmediate(downFor seconds: Int) async throws -> CommandResult {
        guard let clusterDirectory else { throw NotConfigured() }
        return try await TestServerOutages.exclusively {
            try await Subprocess.run("/bin/bash", [clusterScript, "restart-immediate", clusterDirectory, String(seconds)])
        }
    }

    /// The postmaster's pid (the first line of `postmaster.pid`): it changes with a restart.
    static func postmasterPID() -> String? {
        guard let clusterDirectory,
              let text = try? String(contentsOfFile: clusterDirectory + "/data/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map(String.init)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed at once).
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SocketFailed() }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw SocketFailed() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct SocketFailed: Error, CustomStringConvertible {
    var description: String { "could not open a TCP socket on 127.0.0.1: \(String(cString: strerror(errno)))" }
}

/// A TCP listener on 127.0.0.1 that never accepts: connecting works, and then nothing answers,
/// as with a database server that hangs. Closed when released.
final class HangingListener: Sendable {
    let port: Int
    private let socket: Int32

    init() throws {
        let descriptor = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 64) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard listening else {
            close(descriptor)
            throw SocketFailed()
        }
        socket = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}
