import ApexDSL
import ApexEngine
import HTTPTypes
import Hummingbird

/// The live streams as Server-Sent Events: `GET /v1/runs/{id}/events` (one run: its stored
/// history, then live events, ending after its final event) and `GET /v1/events` (every run of
/// the namespace, from now). Both resume from `Last-Event-ID`: a run event's id is its seq, a
/// namespace event's an opaque cursor.
struct EventRoutes {
    let state: ServerState

    func add(to router: RouteTable) {
        router.get("/v1/runs/{id}/events") { request, context in
            try context.require(.runsRead)
            let id = try context.parameters.require("id")
            let engine = try await state.engine(context)
            guard try await engine.store.run(id: id) != nil else { throw Problem.notFound("no run with id \(id)") }
            let resume = request.headers[.lastEventID] ?? request.uri.queryParameters.get("after")
            var after = 0
            if let resume {
                guard let seq = Int(resume), seq >= 0 else { throw Problem.badRequest("Last-Event-ID of a run stream is an event seq") }
                after = seq
            }
            return stream(EventPump(engine: engine, configuration: state.configuration, streams: state.streams, source: .run(id: id, after: after)))
        }
        router.get("/v1/events") { request, context in
            try context.require(.runsRead)
            var position: RunEventPosition?
            if let resume = request.headers[.lastEventID] ?? request.uri.queryParameters.get("after") {
                guard let decoded = NamespaceCursor.decode(resume) else { throw Problem.badRequest("Last-Event-ID is not an id this stream gave") }
                position = decoded
            }
            let engine = try await state.engine(context)
            return stream(EventPump(engine: engine, configuration: state.configuration, streams: state.streams, source: .namespace(after: position)))
        }
    }

    private func stream(_ pump: EventPump) -> Response {
        let subscription = pump.subscribe()
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            state.metrics.streamOpened()
            defer { state.metrics.streamClosed() }
            // Browsers reconnect after 1 s (with Last-Event-ID) when the connection drops.
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            do {
                try await subscription.run { item in try await writer.write(ByteBuffer(string: item.sse)) }
            } catch let error as StoreError {
                state.logger.warning("stream ended by a store error: \(error)")
            }
            try await writer.finish(nil)
        })
    }
}
