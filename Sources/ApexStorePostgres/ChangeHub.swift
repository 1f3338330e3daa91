import ApexEngine
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The listening side of ``PostgresRunStore/changes()``: one connection of its own that
/// LISTENs on `apex_changes` while at least one stream is open, and hands every notification
/// of the store's namespace to every stream.
///
/// The connection is opened with the first stream and closed with the last. When it drops it
/// is opened again (0.1 s, then up to 2 s between tries), and notifications sent meanwhile are
/// lost: no change is made up for them. Callers keep a safety poll (the worker claims again at
/// its poll interval anyway), which covers that gap and the moment before the first LISTEN is
/// in place; ``isListening`` tells whether it is.
final class ChangeHub: Sendable {
    private struct State {
        var streams: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextID = 0
        var listener: Task<Void, Never>?
        var listening = false
        var stopped = false
    }

    let namespace: String
    let configuration: PostgresStoreConfiguration
    let connection: Result<PostgresConnection.Configuration, any Error>
    let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(namespace: String, configuration: PostgresStoreConfiguration, connection: Result<PostgresConnection.Configuration, any Error>,
         logger: Logger) {
        self.namespace = namespace
        self.configuration = configuration
        self.connection = connection
        self.logger = logger
    }

    var isListening: Bool { state.withLockedValue { $0.listening } }

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self, bufferingPolicy: .bufferingNewest(4096))
        let id = state.withLockedValue { state -> Int? in
            guard !state.stopped else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.streams[id] = continuation
            if state.listener == nil { state.listener = Task { await self.listen() } }
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { _ in self.unsubscribe(id) }
        return stream
    }

    /// Ends every stream and closes the connection.
    func stop() async {
        let (streams, listener) = state.withLockedValue { state in
            state.stopped = true
            defer { state.streams = [:]; state.listener = nil }
            return (Array(state.streams.values), state.listener)
        }
        streams.forEach { $0.finish() }
        listener?.cancel()
        await listener?.value
    }

    private func unsubscribe(_ id: Int) {
        let idle = state.withLockedValue { state -> Task<Void, Never>? in
            state.streams[id] = nil
            guard state.streams.isEmpty, let listener = state.listener else { return nil }
            state.listener = nil
            state.listening = false
            return listener
        }
        idle?.cancel()
    }

    /// Listens until cancelled, connecting again whenever the connection drops.
    private func listen() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: try self.connection.get(), id: 1, logger: logger)
                do {
                    try await connection.listen(on: PostgresRunStore.changesChannel) { notifications in
                        setListening(true)
                        failures = 0
                        for try await notification in notifications { deliver(notification.payload) }
                    }
                } catch {
                    logger.debug("the listening connection dropped", metadata: ["why": "\(ErrorMapping.connectFailure(error, configuration).message)"])
                }
                setListening(false)
                try? await connection.close()
            } catch {
                logger.debug("cannot open the listening connection", metadata: ["why": "\(ErrorMapping.connectFailure(error, configuration).message)"])
            }
            failures += 1
            try? await Task.sleep(for: .milliseconds(min(100 << min(failures - 1, 5), 2000)))
        }
        setListening(false)
    }

    private func setListening(_ listening: Bool) {
        state.withLockedValue { state in state.listening = listening && !state.stopped }
    }

    /// Parses `namespace\tkind\ttaskQueue\trunID` and hands it to every stream if it is ours.
    private func deliver(_ payload: String) {
        let parts = payload.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == namespace, let kind = StoreChange.Kind(rawValue: String(parts[1])) else { return }
        let change = StoreChange(kind: kind, runID: String(parts[3]), taskQueue: String(parts[2]))
        for stream in state.withLockedValue({ Array($0.streams.values) }) { stream.yield(change) }
    }
}

extension PostgresRunStore {
    /// A new stream of this namespace's changes from every process; see ``ChangeHub`` for
    /// what a dropped listening connection means.
    public func changes() -> AsyncStream<StoreChange>? {
        hub.subscribe()
    }

    /// Whether the listening connection of ``changes()`` is up (for tests and diagnostics).
    public var isListeningForChanges: Bool { hub.isListening }
}
