import ApexDSL
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Testing

/// The live streams: SSE of a run and of a namespace, resumed after a disconnect with
/// Last-Event-ID (nothing missed, nothing twice), token deltas, and the WebSocket.
@Suite(.serialized) struct StreamTests {
    @Test func aRunStreamGivesTheHistoryThenLiveEventsAndEndsAfterTheFinalOne() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "s-1"))
        let stream = try await SSEReader.open("\(server.base)/v1/runs/s-1/events")
        #expect(stream.status == 200)
        #expect(stream.contentType == "text/event-stream")
        var events: [SSEEvent] = []
        while let event = try await stream.next() {
            events.append(event)
            if event.name == "StepScheduled" { break }
        }
        #expect(events.first?.name == "RunStarted")
        #expect(events.first?.id == "1")
        _ = try await HTTP.post("\(server.base)/v1/runs/s-1/signals/approve", ["approved": true])
        let rest = try await stream.events(through: "end")
        #expect(rest.last?.data == #"{"reason":"finished"}"#)
        #expect(rest.dropLast().last?.name == "RunCompleted")
        #expect(try await stream.next() == nil)
        try await server.stop()
    }

    @Test func aResumedStreamMissesNothingAndRepeatsNothing() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "s-2"))
        let first = try await SSEReader.open("\(server.base)/v1/runs/s-2/events")
        let opening = try await first.next()
        let second = try await first.next()
        #expect(opening?.id == "1")
        // Disconnect after two events; the run goes on meanwhile.
        _ = first
        _ = try await HTTP.post("\(server.base)/v1/runs/s-2/signals/approve", ["approved": false])
        let resumed = try await SSEReader.open("\(server.base)/v1/runs/s-2/events", headers: [("Last-Event-ID", second?.id ?? "")])
        let rest = try await resumed.events(through: "end").filter { $0.id != nil }
        let seqs = [opening, second].compactMap { $0?.id.flatMap(Int.init) } + rest.compactMap { $0.id.flatMap(Int.init) }
        let history = try await HTTP.get("\(server.base)/v1/runs/s-2/history?limit=1000")
        let stored = history.json["events"]?.arrayValue?.compactMap { $0["seq"]?.numberValue.map { Int($0) } } ?? []
        #expect(seqs == stored)
        try await server.stop()
    }

    @Test func tokenDeltasAreStreamedAsEphemeralEvents() async throws {
        let server = try await TestServer.start()
        let stream = try await SSEReader.open("\(server.base)/v1/events")
        #expect(stream.status == 200)
        let started = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.oneLLM, input: [:], id: "s-3"))
        #expect(started.status == 201)
        var names: [String] = []
        var delta: JSONValue?
        // A delta may come after later stored events when the stream reads the store faster
        // than it sends (the deltas wait in their queue): read until both are in.
        while delta == nil || !names.contains("RunCompleted"), let event = try await stream.next() {
            names.append(event.name)
            if event.name == "llm.delta" {
                delta = try JSONValue(parsing: event.data)
                #expect(event.id == nil)
            }
        }
        #expect(names.first == "RunStarted")
        #expect(delta?["ephemeral"] == true)
        #expect(delta?["text"] == "Mock reply to: tell me about cats")
        #expect(delta?["run_id"] == "s-3")
        try await server.stop()
    }

    @Test func aNamespaceStreamResumesFromItsCursor() async throws {
        let server = try await TestServer.start()
        let stream = try await SSEReader.open("\(server.base)/v1/events")
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "n-1"))
        var received: [SSEEvent] = []
        while received.count < 2, let event = try await stream.next() {
            if event.id != nil { received.append(event) }
        }
        let cursor = try #require(received.last?.id)
        _ = try await HTTP.post("\(server.base)/v1/runs/n-1/signals/approve", ["approved": true])
        let resumed = try await SSEReader.open("\(server.base)/v1/events", headers: [("Last-Event-ID", cursor)])
        var rest: [SSEEvent] = []
        while let event = try await resumed.next() {
            if event.id != nil { rest.append(event) }
            if event.name == "RunCompleted" { break }
        }
        let runEvents = (received + rest).map { try? JSONValue(parsing: $0.data) }.compactMap { $0?["seq"]?.numberValue.map { Int($0) } }
        let history = try await HTTP.get("\(server.base)/v1/runs/n-1/history?limit=1000")
        let stored = history.json["events"]?.arrayValue?.compactMap { $0["seq"]?.numberValue.map { Int($0) } } ?? []
        #expect(runEvents == stored)
        let bad = try await SSEReader.open("\(server.base)/v1/events", headers: [("Last-Event-ID", "garbage!")])
        #expect(bad.status == 400)
        try await server.stop()
    }

    @Test func aWebSocketSubscribesToARunAndSendsItsSignal() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "w-1"))
        let messages = MessageLog()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)/v1/stream", logger: Logger(label: "test")) { inbound, outbound, _ in
            // Resumes after the first event, as a reconnecting client does.
            try await outbound.writeTextMessage(#"{"type":"subscribe","run":"w-1","after":1}"#)
            try await outbound.writeTextMessage(#"{"type":"signal","run":"w-1","name":"approve","payload":{"approved":true}}"#)
            try await outbound.writeTextMessage(#"{"type":"dance"}"#)
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let value = try JSONValue(parsing: text)
                messages.append(value)
                if value["type"] == "end" { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        let all = messages.all
        #expect(all.contains { $0["type"] == "signal_accepted" })
        #expect(all.contains { $0["type"] == "error" && $0["status"] == 400 })
        let events = all.filter { $0["type"] == "event" }
        #expect(events.first?["event"]?["seq"] == 2)
        #expect(events.first?["id"] == "2")
        #expect(events.last?["event"]?["type"] == "RunCompleted")
        let history = try await HTTP.get("\(server.base)/v1/runs/w-1/history?limit=1000")
        #expect(events.compactMap { $0["event"]?["seq"] } == history.json["events"]?.arrayValue?.dropFirst().compactMap { $0["seq"] })
        #expect(all.last?["reason"] == "finished")
        #expect(all.last?["run"] == "w-1")
        try await server.stop()
    }

    @Test func shutdownEndsOpenStreamsWithAFinalEvent() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "x-1"))
        let stream = try await SSEReader.open("\(server.base)/v1/runs/x-1/events")
        _ = try await stream.next()
        let stopping = Task { try await server.stop() }
        let rest = try await stream.events(through: "end")
        #expect(rest.last?.data == #"{"reason":"shutdown"}"#)
        try await stopping.value
    }
}

final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [JSONValue] = []
    func append(_ value: JSONValue) { lock.withLock { values.append(value) } }
    var all: [JSONValue] { lock.withLock { values } }
}
