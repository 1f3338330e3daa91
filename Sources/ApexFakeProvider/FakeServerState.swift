import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The fake server's shared, locked state: the scripts, the request log and the open connections.
/// Connections run on event-loop threads while tests script and inspect from theirs.
final class FakeServerState: Sendable {
    private struct Contents {
        var queues: [String: [FakeResponse]] = [:]
        /// Entries that serve any path without a queue of its own.
        var anyPathQueue: [FakeResponse] = []
        var log: [RecordedRequest] = []
        var nextID = 1
        var unscripted = 0
        var connections: [ObjectIdentifier: any Channel] = [:]
        var nextConnectionID = 1
        var isShutDown = false
    }

    private let contents = NIOLockedValueBox(Contents())

    func enqueue(_ response: FakeResponse, path: String?, times: Int) {
        contents.withLockedValue { state in
            let entries = Array(repeating: response, count: times)
            if let path { state.queues[path, default: []] += entries } else { state.anyPathQueue += entries }
        }
    }

    /// Logs a request under the next id and takes its scripted response, nil when there is none.
    func receive(connectionID: Int, method: String, target: String, headers: [(name: String, value: String)], body: Data)
        -> (request: RecordedRequest, response: FakeResponse?)
    {
        let (path, query) = Self.split(target)
        return contents.withLockedValue { state in
            let request = RecordedRequest(
                id: state.nextID, connectionID: connectionID, method: method, path: path, query: query, headers: headers, body: body)
            state.nextID += 1
            state.log.append(request)
            var response: FakeResponse?
            if let queue = state.queues[path] {
                if !queue.isEmpty { response = state.queues[path]!.removeFirst() }
            } else if !state.anyPathQueue.isEmpty {
                response = state.anyPathQueue.removeFirst()
            }
            if response == nil { state.unscripted += 1 }
            return (request, response)
        }
    }

    var requests: [RecordedRequest] { contents.withLockedValue { $0.log } }

    var unscriptedRequests: Int { contents.withLockedValue { $0.unscripted } }

    /// How many scripted responses are still waiting, over all queues.
    var pendingResponses: Int {
        contents.withLockedValue { state in state.queues.values.reduce(state.anyPathQueue.count) { $0 + $1.count } }
    }

    func reset() {
        contents.withLockedValue { state in
            state.queues = [:]
            state.anyPathQueue = []
            state.log = []
            state.nextID = 1
            state.unscripted = 0
        }
    }

    /// Tracks a new connection and numbers it; nil once the server is shutting down (the connection must then close).
    func opened(_ channel: any Channel) -> Int? {
        contents.withLockedValue { state in
            guard !state.isShutDown else { return nil }
            state.connections[ObjectIdentifier(channel)] = channel
            defer { state.nextConnectionID += 1 }
            return state.nextConnectionID
        }
    }

    func closed(_ channel: any Channel) {
        _ = contents.withLockedValue { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Refuses further connections and returns the open ones, to be closed.
    func shutDown() -> [any Channel] {
        contents.withLockedValue { state in
            state.isShutDown = true
            return Array(state.connections.values)
        }
    }

    /// "/a/b?x=1" → ("/a/b", "x=1").
    private static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}
