import ApexDSL
import ApexEngine
import ApexFakeProvider
@testable import ApexLLM
import Foundation
import Testing

/// `http` steps against the fake server on 127.0.0.1.
@Suite struct HTTPStepExecutorTests {
    let executor = HTTPStepExecutor(userAgent: "apex/test")
    static let secrets = Secrets(values: ["TOKEN": "s3cr3t-token", "KEY": "k&y=1"])

    private func run(_ fields: String, input: JSONValue = [:], visit: Int = 1, attempt: Int = 1) async throws -> ActivityResult {
        let fixture = try HTTPStepFixture(fields)
        return await executor.execute(fixture.request(input: input, visit: visit, attempt: attempt), state: fixture.state, secrets: Self.secrets)
    }

    private func output(_ result: ActivityResult) throws -> JSONValue {
        guard case .completed(let output, _) = result else { throw Unexpected(result: result) }
        return output
    }

    private func failure(_ result: ActivityResult) throws -> (error: RunError, retryAfter: Duration?) {
        guard case .failed(let error, let retryAfter) = result else { throw Unexpected(result: result) }
        return (error, retryAfter)
    }

    struct Unexpected: Error { var result: ActivityResult }

    @Test(arguments: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    func everyMethodIsSent(method: String) async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.echo(), path: "/m")
        let result = try output(try await run("method: \(method)\nurl: \(server.baseURL)/m"))
        #expect(server.requests.map(\.method) == [method])
        #expect(result["status"] == 200)
        #expect(result["body"]?["method"] == (method == "HEAD" ? nil : .string(method)))
    }

    @Test func headersQueryAndJSONArriveExactly() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.echo(status: 201), path: "/items")
        let result = try output(try await run("""
            method: POST
            url: "\(server.baseURL)/items?page=2"
            headers: { X-Trace: "t-${{ input.n }}", X-Flag: true }
            query: { q: "${{ input.q }}", tag: [a, b] }
            json: { name: "${{ input.q }}", n: "${{ input.n }}", list: [1, null] }
            """, input: ["q": "café & co", "n": 7]))
        let request = try #require(server.requests.first)
        #expect(request.path == "/items")
        #expect(request.query == "page=2&q=caf%C3%A9%20%26%20co&tag=a&tag=b")
        #expect(request.header("X-Trace") == "t-7")
        #expect(request.header("X-Flag") == "true")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Idempotency-Key") == "run-1/call/1")
        #expect(request.header("User-Agent") == "apex/test")
        #expect(request.text == #"{"name":"café & co","n":7,"list":[1,null]}"#)
        #expect(result["status"] == 201)
        #expect(result["headers"]?["content-type"] == "application/json")
        #expect(result["body"]?["body"] == ["name": "café & co", "n": 7, "list": [1, nil]])
    }

    @Test func aBodyIsSentAsItIsAndTheUsersHeadersWin() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.text("ok"), path: "/form")
        _ = try output(try await run("""
            method: PUT
            url: \(server.baseURL)/form
            headers: { Content-Type: application/x-www-form-urlencoded, Idempotency-Key: mine, User-Agent: custom/1 }
            body: "a=1&b=${{ input.b }}"
            """, input: ["b": "x y"]))
        let request = try #require(server.requests.first)
        #expect(request.text == "a=1&b=x y")
        #expect(request.headers.filter { $0.name.lowercased() == "idempotency-key" }.map(\.value) == ["mine"])
        #expect(request.headers.filter { $0.name.lowercased() == "user-agent" }.map(\.value) == ["custom/1"])
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test func theIdempotencyKeyIsTheSameAcrossAttemptsAndDiffersAcrossVisits() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.echo(), times: 3, path: "/k")
        let fields = "method: POST\nurl: \(server.baseURL)/k\njson: {}"
        _ = try await run(fields, visit: 1, attempt: 1)
        _ = try await run(fields, visit: 1, attempt: 2)
        _ = try await run(fields, visit: 2, attempt: 1)
        #expect(server.requests.map { $0.header("Idempotency-Key") } == ["run-1/call/1", "run-1/call/1", "run-1/call/2"])
    }

    @Test func expectListsTheStatusesThatSucceed() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(status: 200, ["ok": true]), path: "/e")
        server.enqueue(.json(status: 202, ["ok": true]), path: "/e")
        let fields = "url: \(server.baseURL)/e\nexpect: [202, 404]"
        let refused = try failure(try await run(fields))
        #expect(refused.error.type == "http.status")
        #expect(refused.error.message == "GET \(server.baseURL)/e answered 200 OK; expected one of 202, 404")
        #expect(try output(try await run(fields))["status"] == 202)
    }

    @Test func aStatusErrorCarriesTheStatusAndTheStartOfTheBody() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.text(status: 404, String(repeating: "é", count: 1500)), path: "/missing")
        let (error, retryAfter) = try failure(try await run("url: \(server.baseURL)/missing"))
        #expect(error.type == "http.status")
        #expect(error.message == "GET \(server.baseURL)/missing answered 404 Not Found; expected 2xx")
        #expect(error.details == ["status": 404, "body": .string(String(repeating: "é", count: 1000))])
        #expect(error.step == "call" && error.attempt == 1)
        #expect(retryAfter == nil)
    }

    @Test(arguments: [(404, false), (400, false), (408, true), (429, true), (500, true), (503, true)])
    func statusErrorsAreRetriedFor408And429And5xx(status: Int, retried: Bool) async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(status: status, ["error": "x"]), path: "/s")
        let (error, _) = try failure(try await run("url: \(server.baseURL)/s"))
        let policy = RetryPolicy()
        #expect(policy.allowsRetry(afterAttempt: 1, errorType: error.type, details: error.details) == retried)
    }

    @Test func retryAfterIsHonouredOn429And503() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(status: 429, ["error": "slow down"]).retryAfter("7"), path: "/r")
        server.enqueue(.json(status: 503, [:]).retryAfter(Self.httpDate(secondsFromNow: 120)), path: "/r")
        server.enqueue(.json(status: 500, [:]).retryAfter("7"), path: "/r")
        #expect(try failure(try await run("url: \(server.baseURL)/r")).retryAfter == .seconds(7))
        let dated = try #require(try failure(try await run("url: \(server.baseURL)/r")).retryAfter)
        #expect(dated.milliseconds > 100_000 && dated.milliseconds <= 121_000)
        #expect(try failure(try await run("url: \(server.baseURL)/r")).retryAfter == nil)
    }

    @Test func jsonBodiesAreDecodedAndOthersAreText() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(["a": [1, 2]]).contentType("application/problem+json"), path: "/b")
        server.enqueue(.text(#"{"a": 1}"#), path: "/b")
        server.enqueue(.raw(status: 204, body: Data()), path: "/b")
        #expect(try output(try await run("url: \(server.baseURL)/b"))["body"] == ["a": [1, 2]])
        #expect(try output(try await run("url: \(server.baseURL)/b"))["body"] == #"{"a": 1}"#)
        let empty = try output(try await run("url: \(server.baseURL)/b"))
        #expect(empty["status"] == 204 && empty["body"] == .null)
    }

    @Test func redirectsAreFollowed() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.redirect(to: "\(server.baseURL)/new?x=1"), path: "/old")
        server.enqueue(.json(["moved": true]), path: "/new")
        let result = try output(try await run("url: \(server.baseURL)/old"))
        #expect(result["body"] == ["moved": true])
        #expect(server.requests.map(\.path) == ["/old", "/new"])
    }

    @Test func aBodyOverTheLimitIsRefused() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.bytes(count: 10_000_000), path: "/big")
        let (error, _) = try failure(try await run("url: \(server.baseURL)/big"))
        #expect(error.type == "http.too_large")
        #expect(error.message == "the response to GET \(server.baseURL)/big is larger than the limit of 8 MiB")
        #expect(RetryPolicy().allowsRetry(afterAttempt: 1, errorType: error.type, details: error.details) == false)
    }

    @Test func aClosedPortIsAConnectionError() async throws {
        let server = try await FakeProviderServer.start()
        let closed = server.baseURL
        try await server.shutdown()
        let (error, _) = try failure(try await run("url: \(closed)/x"))
        #expect(error.type == "http.connection")
        #expect(error.message == "GET \(closed)/x failed: connection refused")
        #expect(RetryPolicy().allowsRetry(afterAttempt: 1, errorType: error.type, details: error.details))
    }

    @Test func anInvalidURLFromAnExpressionNamesItWithoutSecrets() async throws {
        let (error, _) = try failure(try await run(#"url: "${{ input.host }}/x?token=${{ secrets.TOKEN }}""#, input: ["host": "ftp://files.example"]))
        #expect(error.type == "http.invalid_request")
        #expect(error.message == #"invalid URL: "ftp://files.example/x?token=***" has the scheme "ftp"; only http and https URLs can be requested"#)
        #expect(RetryPolicy().allowsRetry(afterAttempt: 1, errorType: error.type, details: error.details) == false)
    }

    @Test func secretsReachTheServerButNeverTheErrorsOrTheOutput() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(["ok": true]), path: "/secret")
        server.enqueue(.echo(status: 500), path: "/secret")
        let fields = """
            url: "\(server.baseURL)/secret?key=${{ secrets.KEY }}"
            headers: { Authorization: "Bearer ${{ secrets.TOKEN }}" }
            query: { also: "${{ secrets.KEY }}" }
            """
        let completed = try output(try await run(fields))
        let (error, _) = try failure(try await run(fields))
        for request in server.requests {
            #expect(request.header("Authorization") == "Bearer s3cr3t-token")
            #expect(request.query == "key=k&y=1&also=k%26y%3D1")
        }
        let stored = completed.compactJSON + error.json.compactJSON
        #expect(!stored.contains("s3cr3t-token") && !stored.contains("k&y=1") && !stored.contains("k%26y%3D1"))
        #expect(error.message == "GET \(server.baseURL)/secret?key=***&also=*** answered 500 Internal Server Error; expected 2xx")
        #expect(error.details["body"]?.stringValue?.contains("Bearer ***") == true)
    }

    @Test func cancellingTheTaskEndsAnAttemptThatGetsNoAnswer() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(["late": true]).delayed(by: .seconds(60)), path: "/slow")
        let fixture = try HTTPStepFixture("url: \(server.baseURL)/slow")
        let started = ContinuousClock.now
        let attempt = Task { await executor.execute(fixture.request(), state: fixture.state, secrets: Self.secrets) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        attempt.cancel()
        let (error, _) = try failure(await attempt.value)
        #expect(error.type == "cancelled")
        // Far below the 60 s the server would take; generous, since other suites may hold the
        // machine's few threads meanwhile.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    static func httpDate(secondsFromNow seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date().addingTimeInterval(seconds))
    }
}
