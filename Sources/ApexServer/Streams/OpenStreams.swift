import Foundation

/// The streams open now, so that shutdown can end each with a final event, and metrics can
/// count them.
final class OpenStreams: @unchecked Sendable {
    private let lock = NSLock()
    private var closers: [UUID: @Sendable () -> Void] = [:]
    private var closing = false

    var count: Int { lock.withLock { closers.count } }
    var isClosing: Bool { lock.withLock { closing } }

    /// Registers a stream; `close` is called once when the server shuts down. Nil when the
    /// server is already shutting down (the stream should end at once).
    func open(close: @escaping @Sendable () -> Void) -> UUID? {
        lock.withLock {
            guard !closing else { return nil }
            let id = UUID()
            closers[id] = close
            return id
        }
    }

    func remove(_ id: UUID) {
        _ = lock.withLock { closers.removeValue(forKey: id) }
    }

    /// Ends every stream (shutdown) and refuses new ones.
    func closeAll() {
        let all = lock.withLock {
            closing = true
            return Array(closers.values)
        }
        for close in all { close() }
    }
}
