import Foundation

/// A flag set and read from any task: a worker's drain, a server's stop, a stream's state.
public final class AtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    public var isSet: Bool { lock.withLock { value } }
    public func set() { lock.withLock { value = true } }
    public func clear() { lock.withLock { value = false } }

    /// Sets the flag; true when it was not set before.
    public func setIfUnset() -> Bool {
        lock.withLock {
            defer { value = true }
            return !value
        }
    }
}
