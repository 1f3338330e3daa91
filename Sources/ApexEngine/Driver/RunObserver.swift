/// Watches a driven run: told of the history a driver loaded, then of every batch of events
/// as it is committed, with the machine after them (the CLI's live step lines).
public protocol RunObserver: Sendable {
    /// The history as the driver found it, with the machine after its first decisions (default:
    /// nothing to do).
    func loaded(_ events: [Event], machine: RunMachine)
    func committed(_ events: [Event], machine: RunMachine)
    /// Live progress of one of the run's attempts (default: nothing to do).
    func progressed(_ progress: LiveProgress)
}

extension RunObserver {
    public func loaded(_ events: [Event], machine: RunMachine) {}
    public func progressed(_ progress: LiveProgress) {}
}
