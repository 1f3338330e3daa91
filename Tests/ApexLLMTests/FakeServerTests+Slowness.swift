import ApexFakeProvider
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

extension FakeServerTests {
    @Test func stallsMidStreamUntilShutdown() async throws {
        let server = try await FakeProviderServer.start()
        let client = FakeServerClient(server: server)
        let response = FakeResponse.openAIChat(text: "abcdef").shaped(StreamShape(pieceBytes: 2)).failingMidStream(.stall(afterDeltas: 1))
        server.enqueue(response, path: "/v1/chat/completions")
        let stalled = try await client.send("/v1/chat/completions", body: #"{"stream":true}"#)
        var received = ""
        await #expect(throws: (any Error).self) {
            for try await chunk in stalled.body {
                received += String(buffer: chunk)
                // The first delta is the last thing sent: stop the server while the client waits for more.
                if received.contains(#""content":"ab""#) { try await server.shutdown() }
            }
        }
        #expect(!received.contains(#""content":"cd""#))
        try await client.http.shutdown()
    }

    @Test func closesThePlainBodyPartWay() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("0123456789").disconnecting(afterBodyBytes: 4), path: "/cut")
            let (body, broke) = try await client.fetchPartially("/cut", json: [:])
            #expect(broke)
            #expect(body == "0123")
        }
    }
}
