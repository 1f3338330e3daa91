import ApexDSL
import Crypto
import Foundation
import Testing

/// An `apex serve` binary on 127.0.0.1 (a free port) with its own SQLite store and a worker,
/// for the client-mode tests. Stopped with SIGTERM by ``stop()``; killed when released while
/// still running (a failed test).
final class ServeProcess {
    let process: BackgroundApex
    /// `http://127.0.0.1:PORT`.
    let base: String

    init(in folder: TemporaryFolder, environment: [String: String] = [:]) async throws {
        process = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--db", "sqlite:\(folder.path)/server.db"],
                                     in: folder.path, environment: environment)
        base = try await ServeBinaryTests.addresses(of: process).api
    }

    func stop() async throws {
        guard process.process.isRunning else { return }
        process.terminate()
        #expect(try await process.wait().status == 0)
    }

    deinit {
        if process.process.isRunning {
            kill(process.process.processIdentifier, SIGKILL)
            process.process.waitUntilExit()
        }
    }
}

/// HS256 bearer tokens as `apex serve` accepts them (docs/security.md, "Claims").
enum TestToken {
    static let secret = "client-mode-secret-0123456789abcdef0123456789"

    static func hs256(_ claims: JSONValue, secret: String = TestToken.secret) -> String {
        let input = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + base64URL(Data(claims.compactJSON.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(mac))
    }

    /// A token for namespace `default` with every scope the client commands need, valid for an hour.
    static var full: String {
        hs256(["sub": "tester", "exp": .int(Int(Date().timeIntervalSince1970) + 3600), "scope": "runs:read runs:write signals:write"])
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Output with what differs between two runs of the same workflow made the same: times,
/// durations, and the padding of table columns around them.
func sameShape(_ text: String) -> String {
    text.replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/, with: "TIME")
        .replacing(/\b\d+(\.\d+)?(ms|s)\b/, with: "DUR")
        .replacing(/[ ]{2,}/, with: "  ")
}
