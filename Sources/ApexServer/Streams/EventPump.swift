import ApexDSL
import ApexEngine
import Foundation

/// Feeds one subscriber: the stored events it has not seen (read from the store, the truth,
/// as fast as the subscriber takes them), then each new one as it is committed, with live
/// token deltas in between, heartbeats when idle, and a final item.
///
/// It wakes on the engine's commits (a run driven in this process: no delay) and every
/// `streamPollInterval` otherwise (a run driven by another process); wake-ups coalesce. Deltas
/// wait in a bounded buffer; a subscriber that falls behind by more than `streamBuffer` of them is ended with
/// `slow_consumer` rather than buffered without bound (nothing stored is lost: it resumes
/// from its last id).
struct EventPump: Sendable {
    let engine: Engine
    let configuration: ServerConfiguration
    let streams: OpenStreams
    let source: Source

    enum Source: Sendable {
        /// One run's events with `seq > after`; ends after the run's final event.
        case run(id: String, after: Int)
        /// The namespace's events after a position (from now when nil); never ends by itself.
        case namespace(after: RunEventPosition?)
    }

    fileprivate enum Wake: Sendable {
        case look
        case delta(LiveProgress)
        case close
    }

    /// Subscribes to the engine's commits and deltas now, before the response is returned, so
    /// that nothing committed after the client's request is missed, not even an ephemeral
    /// delta; ``Subscription/run(send:)`` then feeds the client.
    func subscribe() -> Subscription {
        let (wakes, continuation) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingOldest(configuration.streamBuffer))
        let overflowed = AtomicFlag()
        let closing = AtomicFlag()
        let lookPending = AtomicFlag()
        let push: @Sendable (Wake) -> Void = { wake in
            if case .dropped = continuation.yield(wake) { overflowed.set() }
        }
        // Looks coalesce: however many commits come while the subscriber reads, one look
        // follows (only deltas can fill the queue).
        let look: @Sendable () -> Void = { if lookPending.setIfUnset() { push(.look) } }
        let registration = streams.open(close: {
            closing.set()
            push(.close)
        })
        let runID: String? = if case .run(let id, _) = source { id } else { nil }
        let commits = engine.commits.subscribe(buffer: 64)
        let deltas = engine.liveProgress.subscribe(buffer: configuration.streamBuffer)
        let poll = configuration.streamPollInterval.milliseconds
        let feeders = [
            Task { for await commit in commits where runID == nil || commit.runID == runID { look() } },
            Task { for await progress in deltas where runID == nil || progress.runID == runID { push(.delta(progress)) } },
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(poll))
                    look()
                }
            },
        ]
        return Subscription(pump: self, cursor: Cursor(source: source), wakes: wakes, overflowed: overflowed, closing: closing,
                            lookPending: lookPending, registration: registration, feeders: feeders)
    }

    /// One subscriber's feed, from ``subscribe()``.
    struct Subscription: Sendable {
        let pump: EventPump
        fileprivate let cursor: Cursor
        fileprivate let wakes: AsyncStream<Wake>
        let overflowed: AtomicFlag
        /// Set at shutdown (its `.close` wake may not fit in a full queue).
        let closing: AtomicFlag
        let lookPending: AtomicFlag
        /// Nil when the server was already shutting down.
        let registration: UUID?
        let feeders: [Task<Void, Never>]

        /// Sends items until the source ends, the server shuts down or `send` throws (the client left).
        func run(send: (StreamItem) async throws -> Void) async throws {
            defer {
                feeders.forEach { $0.cancel() }
                if let registration { pump.streams.remove(registration) }
            }
            guard registration != nil else { return try await send(.end(.shutdown)) }
            var cursor = cursor
            let store = pump.engine.store
            var lastSent = ContinuousClock.now
            let heartbeat = Swift.Duration.milliseconds(pump.configuration.heartbeatInterval.milliseconds)
            func deliver(_ item: StreamItem) async throws {
                // Checked before each item, so that a client catching up on a long history
                // cannot fill memory with the queue meanwhile.
                if closing.isSet { throw ShuttingDown() }
                if overflowed.isSet { throw SlowConsumer() }
                try await send(item)
                lastSent = .now
            }
            do {
                if try await cursor.catchUp(store, deliver) { return try await send(.end(.finished)) }
                for await wake in wakes {
                    switch wake {
                    case .look:
                        lookPending.clear()
                        if try await cursor.catchUp(store, deliver) { return try await send(.end(.finished)) }
                        if ContinuousClock.now - lastSent >= heartbeat { try await deliver(.heartbeat) }
                    case .delta(let progress):
                        try await deliver(.delta(progress))
                    case .close:
                        return try await send(.end(.shutdown))
                    }
                }
            } catch is SlowConsumer {
                try await send(.end(.slowConsumer))
            } catch is ShuttingDown {
                try await send(.end(.shutdown))
            }
        }
    }

    private struct SlowConsumer: Error {}
    private struct ShuttingDown: Error {}
}

/// Where a subscriber is in its source, and reading on from there.
private struct Cursor: Sendable {
    var source: EventPump.Source
    /// Namespace streams: the events already sent among those read again (see `catchUp`).
    var sent: [RunEventPosition: Void] = [:]
    var isFirstRead = true

    init(source: EventPump.Source) {
        self.source = source
        if case .namespace(nil) = source { self.source = .namespace(after: RunEventPosition(at: Timestamp(.now), runID: "", seq: 0)) }
    }

    /// How far back a namespace stream reads again for events stamped before others but
    /// committed after them (by another process): they are sent late rather than never.
    static let settle: Int64 = 2000

    /// Sends what the store has after the cursor. True when the run's final event was sent
    /// (or the run had ended before it), for a run stream.
    mutating func catchUp(_ store: any RunStore, _ send: (StreamItem) async throws -> Void) async throws -> Bool {
        switch source {
        case .run(let id, var after):
            while true {
                let events = try await store.events(runID: id, after: after, limit: 500)
                for event in events {
                    try await send(.event(runID: id, event: event, id: String(event.seq)))
                    after = event.seq
                    source = .run(id: id, after: after)
                    if event.kind.isTerminal { return true }
                }
                if events.count < 500 { break }
            }
            if after > 0 { return false }
            // Nothing after 0 is possible only for a run that does not exist.
            guard try await store.run(id: id) != nil else { throw StoreError.unknownRun(id) }
            return false
        case .namespace(let position?):
            // Reads again from `settle` before the newest sent event: an event stamped earlier
            // but committed later (by another process) is sent late rather than never. What
            // was sent is remembered for that window; on the first read (a new or resumed
            // stream) what lies at or before the position counts as sent.
            var newest = position
            var page: RunEventPosition?
            while true {
                let since = Timestamp(milliseconds: position.at.milliseconds - Self.settle)
                let events = try await store.namespaceEvents(since: since, after: page, limit: 1000)
                for item in events {
                    let at = RunEventPosition(at: item.event.at, runID: item.runID, seq: item.event.seq)
                    page = at
                    guard sent[at] == nil else { continue }
                    sent[at] = ()
                    if isFirstRead, at <= position { continue }
                    try await send(.event(runID: item.runID, event: item.event, id: NamespaceCursor.encode(at)))
                    newest = max(newest, at)
                }
                if events.count < 1000 { break }
            }
            isFirstRead = false
            sent = sent.filter { $0.key.at.milliseconds >= newest.at.milliseconds - Self.settle }
            source = .namespace(after: newest)
            return false
        case .namespace(nil):
            return false
        }
    }
}

/// The opaque id of a namespace stream's event: base64url of `at_ms:seq:run_id`.
enum NamespaceCursor {
    static func encode(_ position: RunEventPosition) -> String {
        Base64URL.encode("\(position.at.milliseconds):\(position.seq):\(position.runID)".utf8)
    }

    static func decode(_ text: String) -> RunEventPosition? {
        guard let bytes = Base64URL.decode(text), let plain = String(data: bytes, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let ms = Int64(parts[0]), let seq = Int(parts[1]) else { return nil }
        return RunEventPosition(at: Timestamp(milliseconds: ms), runID: String(parts[2]), seq: seq)
    }
}

extension RunEventPosition: Comparable {
    public static func < (lhs: RunEventPosition, rhs: RunEventPosition) -> Bool {
        (lhs.at, lhs.runID, lhs.seq) < (rhs.at, rhs.runID, rhs.seq)
    }
}
