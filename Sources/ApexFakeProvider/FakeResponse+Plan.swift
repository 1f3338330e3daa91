import ApexDSL
import Foundation
import OrderedCollections

extension FakeResponse {
    /// The response rendered against `request`: headers, body writes, pacing and ending.
    func plan(for request: RecordedRequest) -> ResponsePlan {
        var plan = ResponsePlan(headDelay: headDelay, status: status, writeDelay: pacing.delay)
        var defaultHeaders: [(name: String, value: String)] = []
        var writes: [[UInt8]] = []
        var isStream = false

        switch content {
        case .hangUp:
            return ResponsePlan(hangUp: true)
        case .bytes(let data, let contentType):
            if let contentType { defaultHeaders.append(("content-type", contentType)) }
            writes = [Array(data)]
        case .generated(let count):
            defaultHeaders.append(("content-type", "application/octet-stream"))
            plan.body = .generated(count: count, writeBytes: pacing.writeBytes ?? 65_536)
        case .echo:
            defaultHeaders.append(("content-type", "application/json"))
            writes = [Array(Self.echoBody(request).compactJSON.utf8)]
        case .vendorError(let error):
            defaultHeaders = [("content-type", "application/json"), (error.requestIDHeader, request.vendorRequestID)]
            writes = [Array(error.body(request.vendorRequestID).compactJSON.utf8)]
        case .openAIChat(let reply):
            isStream = request.wantsStream && !ignoresStream
            defaultHeaders = Self.vendorContentHeaders(isStream: isStream) + [("x-request-id", request.vendorRequestID)]
            writes = isStream
                ? streamWrites(reply.events(for: request, shape: streamShape), errorEvent: OpenAIChatReply.errorEvent, plan: &plan)
                : [Array(reply.body(for: request).compactJSON.utf8)]
        case .anthropicMessage(let reply):
            isStream = request.wantsStream && !ignoresStream
            defaultHeaders = Self.vendorContentHeaders(isStream: isStream) + [("request-id", request.vendorRequestID)]
            writes = isStream
                ? streamWrites(reply.events(for: request, shape: streamShape), errorEvent: AnthropicMessageReply.errorEvent, plan: &plan)
                : [Array(reply.body(for: request).compactJSON.utf8)]
        }
        plan.headers = defaultHeaders.filter { header in
            !headers.contains { $0.name.caseInsensitiveCompare(header.name) == .orderedSame }
        } + headers

        if case .generated(let count, let writeBytes) = plan.body {
            plan.body = .generated(count: cutCount(count), writeBytes: writeBytes)
        } else {
            plan.body = .writes(cutWrites(writes))
        }
        if let bodyCut { plan.ending = bodyCut.then }
        plan.chunked = isStream || plan.ending != .complete
        return plan
    }

    /// A vendor reply's `content-type` (and, for a stream, `cache-control` as the vendors send it).
    private static func vendorContentHeaders(isStream: Bool) -> [(name: String, value: String)] {
        isStream
            ? [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]
            : [("content-type", "application/json")]
    }

    /// The stream's events as one write each, broken off as `streamFailure` says.
    private func streamWrites(_ events: [SSEEvent], errorEvent: (String?, String) -> SSEEvent, plan: inout ResponsePlan) -> [[UInt8]] {
        guard let streamFailure else { return events.map { $0.rendered(streamShape) } }
        let kept = events[..<Self.cutIndex(events, afterDeltas: streamFailure.afterDeltas)].map { $0.rendered(streamShape) }
        switch streamFailure {
        case .errorEvent(_, let type, let message):
            return kept + [errorEvent(type, message).rendered(streamShape)]
        case .disconnect:
            plan.ending = .disconnect
        case .stall:
            plan.ending = .stall
        }
        return kept
    }

    /// Where a stream breaks off: right after its `afterDeltas`-th delta (before the first for 0);
    /// after the last delta when it has fewer, after its first event when it has none.
    private static func cutIndex(_ events: [SSEEvent], afterDeltas: Int) -> Int {
        let deltaIndices = events.indices.filter { events[$0].isDelta }
        guard !deltaIndices.isEmpty else { return min(1, events.count) }
        if afterDeltas <= 0 { return deltaIndices[0] }
        return deltaIndices[min(afterDeltas, deltaIndices.count) - 1] + 1
    }

    /// The body length after `truncation` and `bodyCut`.
    private func cutCount(_ count: Int) -> Int {
        var kept = count
        switch truncation {
        case .half: kept /= 2
        case .bytes(let limit): kept = min(kept, limit)
        case nil: break
        }
        if let bodyCut { kept = min(kept, bodyCut.afterBytes) }
        return kept
    }

    /// The writes shortened to `cutCount` bytes and, when `pacing` says so, re-cut into fixed-size writes.
    private func cutWrites(_ writes: [[UInt8]]) -> [[UInt8]] {
        var remaining = cutCount(writes.reduce(0) { $0 + $1.count })
        var kept: [[UInt8]] = []
        for write in writes where remaining > 0 {
            kept.append(Array(write.prefix(remaining)))
            remaining -= kept[kept.count - 1].count
        }
        guard let size = pacing.writeBytes else { return kept }
        let all = kept.flatMap { $0 }
        return stride(from: 0, to: all.count, by: size).map { Array(all[$0..<min($0 + size, all.count)]) }
    }

    /// What `.echo` answers: the request as JSON.
    static func echoBody(_ request: RecordedRequest) -> JSONValue {
        var headers = OrderedDictionary<String, JSONValue>()
        for (name, value) in request.headers {
            let key = name.lowercased()
            headers[key] = .string(headers[key]?.stringValue.map { $0 + ", " + value } ?? value)
        }
        let body: JSONValue = request.json ?? (request.body.isEmpty ? .null : request.text.map(JSONValue.string) ?? .null)
        return [
            "method": .string(request.method), "path": .string(request.path), "query": request.query.map(JSONValue.string) ?? .null,
            "headers": .object(headers),
            "body": body,
        ]
    }
}
