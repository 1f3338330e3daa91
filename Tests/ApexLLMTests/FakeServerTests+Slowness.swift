import ApexTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

extension FakeServerTests {
    @Test func delaysTheHead() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("late").delayed(by: .milliseconds(300)))
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await client.fetch("/slow", method: .GET).text == "late")
            #expect(clock.now - start >= .milliseconds(300))
        }
    }

    @Test func tricklesTheBody() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("abcdef").paced(writeBytes: 1, delay: .milliseconds(50)))
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await client.fetch("/trickle", method: .GET).text == "abcdef")
            #expect(clock.now - start >= .milliseconds(300))
        }
    }

    @Test func aStalledBodyHoldsUpNeitherOtherConnectionsNorShutdown() async throws {
        let server = try await FakeProviderServer.start()
        let client = FakeServerClient(server: server)
        server.enqueue(.openAIChat(text: "never").stallingAfterHead(), path: "/v1/chat/completions")
        server.enqueue(.text("fast"), path: "/fast")
        let stalled = try await client.send("/v1/chat/completions", method: .POST, body: #"{"stream":true}"#)
        #expect(stalled.status == .ok)
        let reader = Task { try await stalled.body.collect(upTo: 1 << 20) }
        #expect(try await client.fetch("/fast", method: .GET).text == "fast")
        try await server.shutdown()
        await #expect(throws: (any Error).self) { try await reader.value }
        try await server.shutdown()
        try await client.http.shutdown()
    }
}
