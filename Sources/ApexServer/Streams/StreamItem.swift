import ApexDSL
import ApexEngine
import Foundation

/// What a live stream sends: stored events (with the id a client resumes from), live token
/// deltas of a running llm call (ephemeral: never stored, no id), heartbeats, and a final
/// event saying why the stream ends.
enum StreamItem: Sendable {
    case event(runID: String, event: Event, id: String)
    case delta(LiveProgress)
    case heartbeat
    case end(EndReason)

    enum EndReason: String, Sendable {
        /// The run has ended: its final event was sent.
        case finished
        /// The server is shutting down: reconnect (to another server) with the last id.
        case shutdown
        /// The client read too slowly: reconnect with the last id; nothing stored is lost.
        case slowConsumer = "slow_consumer"
    }

    /// The JSON of the item (the `data` of an SSE event, a WebSocket message's body).
    var json: JSONValue {
        switch self {
        case .event(let runID, let event, _):
            var object = event.json.objectValue ?? [:]
            object["run_id"] = .string(runID)
            return .object(object)
        case .delta(let progress):
            guard case .text(let text) = progress.kind else { return .null }
            return ["run_id": .string(progress.runID), "step": .string(progress.step), "visit": .int(progress.visit),
                    "attempt": .int(progress.attempt), "text": .string(text), "ephemeral": true]
        case .heartbeat: return ["at": .string(Timestamp(.now).description)]
        case .end(let reason): return ["reason": .string(reason.rawValue)]
        }
    }

    /// The SSE event name: the stored event's type, `llm.delta`, `heartbeat` or `end`.
    var name: String {
        switch self {
        case .event(_, let event, _): event.kind.type
        case .delta: "llm.delta"
        case .heartbeat: "heartbeat"
        case .end: "end"
        }
    }

    /// The text of one Server-Sent Event.
    var sse: String {
        var text = ""
        if case .event(_, _, let id) = self { text += "id: \(id)\n" }
        text += "event: \(name)\ndata: \(json.compactJSON)\n\n"
        return text
    }
}
