import ApexDSL
import ApexEngine
import Hummingbird

/// `POST /v1/runs/{id}/signals/{name}` (the body is the payload), `POST /v1/runs/{id}/cancel`,
/// and the signed webhook `POST /v1/hooks/{namespace}/runs/{id}/signals/{name}`.
struct SignalRoutes {
    let state: ServerState

    func add(to router: RouteTable) {
        router.post("/v1/runs/{id}/signals/{name}") { request, context in
            try context.require(.signalsWrite)
            let payload = try await payload(request)
            return try await signal(context, payload: payload)
        }
        router.post("/v1/runs/{id}/cancel") { request, context in
            try context.require(.runsWrite)
            let id = try context.parameters.require("id")
            let bytes = try await JSONIO.rawBody(request, limit: state.configuration.maxBodyBytes)
            var reason: String?
            if bytes.readableBytes > 0 {
                let body = try JSONIO.parse(bytes)
                try JSONIO.rejectUnknown(body, known: ["reason"])
                reason = try JSONIO.string(body, "reason")
            }
            let engine = try await state.engine(context)
            try await engine.cancel(runID: id, reason: reason)
            return JSONIO.response(["run_id": .string(id), "cancel_requested": true], status: .accepted)
        }
        router.post("/v1/hooks/{namespace}/runs/{id}/signals/{name}") { request, context in
            var context = context
            let namespace = try context.parameters.require("namespace")
            let bytes = try await JSONIO.rawBody(request, limit: state.configuration.maxBodyBytes)
            if let failure = await state.auth.webhooks.verify(
                namespace: namespace, method: request.method.rawValue, path: request.uri.description, body: Array(bytes.readableBytesView),
                timestamp: request.headers[.apexTimestamp], delivery: request.headers[.apexDelivery],
                signature: request.headers[.apexSignature], now: .now)
            {
                throw Problem(failure.status, failure.status == .unauthorized ? "invalid-signature" : "replay-memory-full",
                              failure.status == .unauthorized ? "Invalid webhook signature" : "Try again later", detail: failure.description)
            }
            context.namespace = namespace
            let payload = try Self.parsePayload(bytes)
            return try await signal(context, payload: payload)
        }
    }

    private func signal(_ context: APIContext, payload: JSONValue) async throws -> Response {
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("name")
        let engine = try await state.engine(context)
        let event = try await engine.signal(runID: id, name: name, payload: payload)
        return JSONIO.response(["run_id": .string(id), "signal": .string(name), "seq": .int(event.seq)], status: .accepted)
    }

    /// The payload: the body as JSON, `null` when it is empty.
    private func payload(_ request: Request) async throws -> JSONValue {
        try Self.parsePayload(try await JSONIO.rawBody(request, limit: state.configuration.maxBodyBytes))
    }

    static func parsePayload(_ bytes: ByteBuffer) throws -> JSONValue {
        let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
        guard !text.allSatisfy(\.isWhitespace) else { return .null }
        do { return try JSONValue(parsing: text) } catch { throw Problem.badRequest("the payload is not valid JSON: \(error)") }
    }
}
