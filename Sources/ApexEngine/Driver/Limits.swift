/// The limits of a run (docs/history.md, "Limits").
public enum Limits {
    /// Most events in one run's history (`history.limit` past it).
    public static let maxEvents = 50_000
    /// A warning is logged past this many events.
    public static let warnEvents = 10_000
    /// Largest input, signal payload or step output, as compact JSON.
    public static let maxPayloadBytes = 2 * 1024 * 1024
}

extension Engine {
    /// Warns once, when a run's history grows past ``Limits/warnEvents``.
    func warnIfLong(_ runID: String, from before: Int, to after: Int) {
        guard before < Limits.warnEvents, after >= Limits.warnEvents else { return }
        configuration.warn("run \(runID) has \(after) events in its history; at \(Limits.maxEvents) it fails with history.limit")
    }
}
