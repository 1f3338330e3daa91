import Foundation

/// Where the driver gets time from: the wall clock in production. Deciding never reads it;
/// only the driver does, to stamp events and to know when timers are due.
public protocol EngineClock: Sendable {
    func now() -> Timestamp
}

public struct SystemClock: EngineClock {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }
}
