import ApexDSL
import ApexEngine
import ApexWorkflowFiles
import Foundation

/// One process of a simulated scenario: a real ``Engine`` on the shared in-memory store (seen
/// through a ``FaultyStore``), the scenario's manual clock and scripted activities. Killing it
/// is what a crash does: its store calls fail from then on, its calls end, its tasks stop.
final class SimulatedProcess: @unchecked Sendable {
    let name: String
    let store: FaultyStore
    let activities: ScriptedActivities
    private(set) var engine: Engine!
    private let lock = NSLock()
    private var driving: Task<Void, Never>?
    private var drivingNow = false
    /// Errors of this process's drivers that no crash, lease or cancellation explains.
    private(set) var unexpectedErrors: [String] = []

    init(name: String, shared: any RunStore, clock: ManualClock, script: UInt64, log: CallLog, activity: StoreActivity) {
        self.name = name
        let activities = ScriptedActivities(script: script, log: log)
        self.activities = activities
        let box = WeakProcess()
        store = FaultyStore(shared, activity: activity) { box.process?.kill() }
        engine = Engine(store: store, executor: activities, workflows: WorkflowFiles(), clock: clock,
                        configuration: EngineConfiguration(workerID: name, leaseDuration: .seconds(5), pollInterval: Duration(milliseconds: 100)))
        box.process = self
    }

    var isDead: Bool { store.isDead }
    var isDriving: Bool { lock.withLock { drivingNow } }

    /// Starts driving `runID` to its end, unless this process is dead or already drives it.
    func drive(_ runID: String) {
        lock.withLock {
            guard !drivingNow, !store.isDead else { return }
            drivingNow = true
            driving = Task { [engine = engine!] in
                do {
                    _ = try await engine.drive(runID: runID, untilFinished: true, waitForLease: false)
                } catch {
                    self.note(error)
                }
                self.lock.withLock { self.drivingNow = false }
            }
        }
    }

    /// A crash: nothing more reaches the store, parked calls end, the driver stops.
    func kill() {
        store.crash()
        activities.die()
        lock.withLock { driving }?.cancel()
    }

    private func note(_ error: any Error) {
        if store.isDead || error is SimulatedCrash || error is CancellationError { return }
        if case EngineError.runBusy = error { return }
        lock.withLock { unexpectedErrors.append("\(name): \(error)") }
    }
}

private final class WeakProcess: @unchecked Sendable {
    weak var process: SimulatedProcess?
}
