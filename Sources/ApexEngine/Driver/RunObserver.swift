/// Watches a driven run: told of every batch of events as it is committed, with the machine
/// after them (the CLI's live step lines).
public protocol RunObserver: Sendable {
    func committed(_ events: [Event], machine: RunMachine)
}
