import ApexDSL
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Two `apex serve` processes on one PostgreSQL store: a workflow registered and a run
/// started through one (which has no worker) are driven by the other's worker, and the first
/// one's stream follows the run to its end from the store.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(2)))
struct ServePostgresTests {
    @Test func twoServersShareAStoreAndStreamRunsDrivenByTheOther() async throws {
        guard PostgresTestServer.url != nil || PostgresTestServer.isCI else { return }
        let url = try PostgresTestServer.requireURL()
        let folder = try TemporaryFolder()
        let namespace = "serve-\(UUID().uuidString.prefix(8).lowercased())"
        let front = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--no-worker", "--migrate", "--db", url],
                                       in: folder.path, environment: [:])
        let (api, _) = try await ServeBinaryTests.addresses(of: front)
        let back = try BackgroundApex(["serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "-n", namespace, "--db", url],
                                      in: folder.path, environment: [:])
        let (other, _) = try await ServeBinaryTests.addresses(of: back)
        let headers = [("X-Apex-Namespace", namespace)]

        let registered = try await ServeBinaryTests.post("\(api)/v1/workflows", (["source": .string(ServeBinaryTests.workflow)] as JSONValue).compactJSON, headers: headers)
        #expect(registered.status == 201)
        let started = try await ServeBinaryTests.post("\(api)/v1/runs", (["workflow": "gate", "id": "pg-1"] as JSONValue).compactJSON, headers: headers)
        #expect(started.status == 201)

        var request = HTTPClientRequest(url: "\(api)/v1/runs/pg-1/events")
        request.headers.add(name: "X-Apex-Namespace", value: namespace)
        let stream = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        var chunks = stream.body.makeAsyncIterator()
        var text = ""
        // The run reaches its wait only once the other server's worker drives it.
        while !text.contains("event: StepScheduled") { text += String(buffer: try #require(await chunks.next())) }
        #expect(try await ServeBinaryTests.post("\(other)/v1/runs/pg-1/signals/go", "", headers: headers).status == 202)
        while let chunk = try await chunks.next() { text += String(buffer: chunk) }
        #expect(text.contains("event: RunCompleted"))
        #expect(text.hasSuffix("event: end\ndata: {\"reason\":\"finished\"}\n\n"))
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        #expect(ids == Array(1...(ids.last ?? 0)))

        #expect(try await ServeBinaryTests.post("\(api)/v1/runs/pg-1/signals/go", "", headers: headers).status == 409)
        front.terminate()
        back.terminate()
        #expect(try await front.wait().status == 0)
        #expect(try await back.wait().status == 0)
    }
}
