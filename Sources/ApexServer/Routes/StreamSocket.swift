import ApexDSL
import ApexEngine
import Foundation
import Hummingbird
import HummingbirdWebSocket

/// `/v1/stream`: the live streams over one WebSocket. The client sends JSON messages:
/// `{"type":"subscribe","run":ID,"after"?:SEQ}`, `{"type":"subscribe","namespace":true,"after"?:CURSOR}`,
/// `{"type":"signal","run":ID,"name":N,"payload":P}`; the server answers with
/// `{"type":"event","id":…,"run_id":…,"event":{…}}`, `{"type":"delta",…}`, `{"type":"heartbeat"}`,
/// `{"type":"end","run"?:ID,"reason":…}`, `{"type":"signal_accepted","run":…,"seq":…}` and
/// `{"type":"error","status":…,"title":…,"detail":…}`.
struct StreamSocket {
    let state: ServerState

    func add(to router: RouteTable) {
        router.webSocket("/v1/stream", shouldUpgrade: { _, context in
            try context.require(.runsRead)
            _ = try await state.engine(context)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, socketContext in
            let context = socketContext.requestContext
            let engine = try await state.engine(context)
            let writer = SocketWriter(outbound: outbound)
            state.metrics.streamOpened()
            defer { state.metrics.streamClosed() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for try await message in inbound.messages(maxSize: state.configuration.maxBodyBytes) {
                    guard case .text(let text) = message else {
                        await writer.send(Self.error(.badRequest, "messages are JSON text"))
                        continue
                    }
                    do {
                        if let pump = try await handle(text, context: context, engine: engine, writer: writer) {
                            let subscription = pump.subscribe()
                            let run: JSONValue = if case .run(let id, _) = pump.source { .string(id) } else { .null }
                            group.addTask {
                                try? await subscription.run { item in await writer.send(Self.message(item, run: run)) }
                            }
                        }
                    } catch {
                        let problem = Problem.from(error) ?? Problem(.internalServerError, "internal", "Internal error")
                        await writer.send(Self.error(problem.status, problem.detail ?? problem.title))
                    }
                }
                group.cancelAll()
            }
        })
    }

    /// Acts on one client message; returns the pump of a new subscription.
    private func handle(_ text: String, context: APIContext, engine: Engine, writer: SocketWriter) async throws -> EventPump? {
        let message = try JSONIO.parse(ByteBuffer(string: text))
        switch try JSONIO.string(message, "type", required: true) {
        case "subscribe":
            if message["namespace"] == .bool(true) {
                var position: RunEventPosition?
                if let after = try JSONIO.string(message, "after") {
                    guard let decoded = NamespaceCursor.decode(after) else { throw Problem.badRequest("\"after\" is not a cursor this server gave") }
                    position = decoded
                }
                return EventPump(engine: engine, configuration: state.configuration, streams: state.streams, source: .namespace(after: position))
            }
            let run = try JSONIO.string(message, "run", required: true)!
            guard try await engine.store.run(id: run) != nil else { throw Problem.notFound("no run with id \(run)") }
            let after = message["after"]?.numberValue.map { Int($0) } ?? 0
            return EventPump(engine: engine, configuration: state.configuration, streams: state.streams, source: .run(id: run, after: max(after, 0)))
        case "signal":
            try context.require(.signalsWrite)
            let run = try JSONIO.string(message, "run", required: true)!
            let name = try JSONIO.string(message, "name", required: true)!
            let event = try await engine.signal(runID: run, name: name, payload: message["payload"] ?? .null)
            await writer.send(["type": "signal_accepted", "run": .string(run), "name": .string(name), "seq": .int(event.seq)])
            return nil
        case let other:
            throw Problem.badRequest("unknown message type \"\(other ?? "")\"; expected subscribe or signal")
        }
    }

    /// The message of a stream item; `run` names the subscription's run in its `end` (null for the namespace's).
    private static func message(_ item: StreamItem, run: JSONValue) -> JSONValue {
        switch item {
        case .event(let runID, let event, let id):
            ["type": "event", "id": .string(id), "run_id": .string(runID), "event": event.json]
        case .delta:
            .object((item.json.objectValue ?? [:]).merging(["type": .string("delta")]) { $1 })
        case .heartbeat:
            ["type": "heartbeat"]
        case .end(let reason):
            ["type": "end", "run": run, "reason": .string(reason.rawValue)]
        }
    }

    private static func error(_ status: HTTPResponse.Status, _ detail: String) -> JSONValue {
        ["type": "error", "status": .int(status.code), "detail": .string(detail)]
    }
}

/// One writer for the socket's subscriptions: messages never interleave. A client that has
/// gone is ignored here; its reading loop ends.
private actor SocketWriter {
    let outbound: WebSocketOutboundWriter

    init(outbound: WebSocketOutboundWriter) { self.outbound = outbound }

    func send(_ value: JSONValue) async {
        try? await outbound.writeTextMessage(value.compactJSON)
    }
}
