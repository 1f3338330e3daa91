import ApexDSL
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `apex serve` as the binary: the loopback rule, JSON logs with request ids, a stream ended
/// by SIGTERM with a final event, a clean exit, and runs that outlive the server.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(2)))
struct ServeBinaryTests {
    static let workflow = """
        apex: 1
        name: gate
        steps:
          - id: gate
            wait: {signal: go}
        output: done
        """

    @Test func aServerWithoutAuthRefusesToListenBeyondLoopback() async throws {
        let folder = try TemporaryFolder()
        let result = try await ApexBinary.run(["serve", "--addr", "0.0.0.0:0", "--db", "sqlite:\(folder.path)/a.db"], in: folder.path)
        #expect(result.status == 2)
        #expect(result.error.contains("refusing to listen on 0.0.0.0 with auth off"))
        let short = try await ApexBinary.run(["serve", "--addr", "0.0.0.0:0", "--db", "sqlite:\(folder.path)/a.db"], in: folder.path,
                                             environment: ["APEX_JWT_SECRET": "short"])
        #expect(short.status == 2)
        #expect(!short.error.contains("short\n"))
        let badAddress = try await ApexBinary.run(["serve", "--addr", "localhost", "--db", "sqlite:\(folder.path)/a.db"], in: folder.path)
        #expect(badAddress.status == 2)
        // `off` means no metrics for the worker as for the server; anything else must be HOST:PORT.
        let badMetrics = try await ApexBinary.run(["worker", "--metrics-addr", "nine", "--db", "sqlite:\(folder.path)/a.db"], in: folder.path)
        #expect(badMetrics.status == 2)
        #expect(badMetrics.error.contains("--metrics-addr must be HOST:PORT or off"))
    }

    @Test func sigtermEndsStreamsThenExitsCleanlyAndRunsOutliveTheServer() async throws {
        let folder = try TemporaryFolder()
        let database = "sqlite:\(folder.path)/apex.db"
        let first = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--log-format", "json", "--db", database],
                                       in: folder.path, environment: [:])
        let (base, metrics) = try await Self.addresses(of: first)
        let body: JSONValue = ["source": .string(Self.workflow), "id": "gate-1"]
        #expect(try await Self.post("\(base)/v1/runs", body.compactJSON).status == 201)

        let stream = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/v1/runs/gate-1/events"), timeout: .seconds(30))
        var text = ""
        var chunks = stream.body.makeAsyncIterator()
        while !text.contains("event: StepScheduled") { text += String(buffer: try #require(await chunks.next())) }
        let scrape = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(metrics)/metrics"), timeout: .seconds(10))
        let exposition = String(buffer: try await scrape.body.collect(upTo: 1 << 20))
        #expect(exposition.contains("apex_runs_started_total 1"))

        first.terminate()
        while let chunk = try await chunks.next() { text += String(buffer: chunk) }
        #expect(text.hasSuffix("event: end\ndata: {\"reason\":\"shutdown\"}\n\n"))
        let result = try await first.wait()
        #expect(result.status == 0)
        #expect(result.error.contains("apex serve: stopped"))
        let logLines = result.error.split(separator: "\n").filter { $0.hasPrefix("{") }
        let requestLine = logLines.compactMap { try? JSONValue(parsing: String($0)) }.first { $0["message"] == "POST /v1/runs 201" }
        #expect(requestLine?["request_id"]?.stringValue?.isEmpty == false)

        // The run waits in the store; a new server takes its signal and completes it.
        let second = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--db", database], in: folder.path, environment: [:])
        let (again, _) = try await Self.addresses(of: second)
        #expect(try await Self.post("\(again)/v1/runs/gate-1/signals/go", "").status == 202)
        var status: JSONValue = .null
        for _ in 0..<200 where status != "completed" {
            let reply = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(again)/v1/runs/gate-1"), timeout: .seconds(10))
            status = try JSONValue(parsing: String(buffer: try await reply.body.collect(upTo: 1 << 20)))["status"] ?? .null
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(status == "completed")
        second.terminate()
        #expect(try await second.wait().status == 0)
    }

    @Test func aTakenPortIsOneErrorAndExitOne() async throws {
        let folder = try TemporaryFolder()
        let first = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--db", "sqlite:\(folder.path)/apex.db"],
                                       in: folder.path, environment: [:])
        let (base, _) = try await Self.addresses(of: first)
        let port = try #require(base.split(separator: ":").last.map(String.init))
        let second = try await ApexBinary.run(["serve", "--addr", "127.0.0.1:\(port)", "--metrics-addr", "off", "--db", "sqlite:\(folder.path)/apex.db"],
                                              in: folder.path)
        #expect(second.status == 1)
        #expect(second.error.contains("error: apex serve stopped:"))
        #expect(second.error.contains("Address already in use"))
        // The worker stops with the group instead of retrying its claims in a loop.
        #expect(!second.error.contains("looking for runs to claim failed"))
        first.terminate()
        #expect(try await first.wait().status == 0)
    }

    @Test func aWorkerServesItsMetrics() async throws {
        let folder = try TemporaryFolder()
        let worker = try BackgroundApex(["worker", "--metrics-addr", "127.0.0.1:0", "--db", "sqlite:\(folder.path)/apex.db"], in: folder.path, environment: [:])
        var port: String?
        for _ in 0..<400 where port == nil {
            port = worker.errorSoFar.firstMatch(of: /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/).map { String($0.1) }
            try await Task.sleep(for: .milliseconds(25))
        }
        let scrape = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(try #require(port))/metrics"), timeout: .seconds(10))
        #expect(scrape.status.code == 200)
        worker.terminate()
        #expect(try await worker.wait().status == 0)
    }

    /// The API and metrics URLs from the server's `listening on` line.
    static func addresses(of server: BackgroundApex) async throws -> (api: String, metrics: String) {
        for _ in 0..<400 {
            if let match = server.errorSoFar.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)(, metrics on (http:\/\/127\.0\.0\.1:\d+))?/) {
                return (String(match.1), match.3.map(String.init) ?? "")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("apex serve did not start: \(server.errorSoFar)")
        throw CancellationError()
    }

    static func post(_ url: String, _ body: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
