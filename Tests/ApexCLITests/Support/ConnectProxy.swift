import Foundation

/// Tests/Fixtures/proxy/connect_proxy.py running on 127.0.0.1: a CONNECT proxy that tunnels
/// every host to one upstream port and logs each request line.
final class ConnectProxy: Sendable {
    let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    static func start(upstreamPort: Int, log: String) async throws -> ConnectProxy {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/proxy/connect_proxy.py").path
        let portFile = log + ".port"
        _ = FileManager.default.createFile(atPath: portFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(upstreamPort), log]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: portFile))
        process.standardInput = FileHandle.nullDevice
        // Not the test runner's stderr: a pipe it reads would keep it waiting while the proxy lives.
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return ConnectProxy(port: port, process: process)
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the test proxy did not start"])
    }

    /// Kills the proxy: SIGKILL, which a signal mask inherited from the test runner cannot block.
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
