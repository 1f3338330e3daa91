import Foundation

/// An in-process publish–subscribe channel: any number of subscribers, each with its own
/// buffered stream. Publishing never blocks and never waits for a subscriber.
public final class Feed<Element: Sendable>: @unchecked Sendable {
    // A lock (not an actor): publishing happens from synchronous callbacks (the HTTP client's).
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<Element>.Continuation] = [:]

    public init() {}

    /// A stream of every element published from now on, until the returned stream is dropped
    /// or the task iterating it is cancelled. A slow subscriber loses the oldest elements past
    /// `buffer`, never slowing the publisher down.
    public func subscribe(buffer: Int = 1024) -> AsyncStream<Element> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        lock.withLock { subscribers[id] = continuation }
        return stream
    }

    func publish(_ element: Element) {
        let targets = lock.withLock { Array(subscribers.values) }
        for continuation in targets { continuation.yield(element) }
    }
}

/// What an engine just committed to a run's history: a start, a driver's append, an event
/// from outside (a signal, a cancellation). Told to in-process subscribers (a server's event
/// streams, this engine's worker) right after the commit, so they need not poll the store.
public struct RunCommit: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case created
        case appended
        case outsideEvent
    }

    public var kind: Kind
    public var runID: String
    /// The events committed (none for an append that only acknowledged outside events).
    public var events: [Event]
    /// How long the store took to commit them (metrics).
    public var storeSeconds: Double

    /// The seq of the last event committed.
    public var lastSeq: Int? { events.last?.seq }

    public init(kind: Kind, runID: String, events: [Event], storeSeconds: Double) {
        self.kind = kind
        self.runID = runID
        self.events = events
        self.storeSeconds = storeSeconds
    }
}

extension ContinuousClock.Instant {
    /// The seconds from this instant to now.
    var secondsSince: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
