import ApexTesting
import Foundation
import Testing

/// The deterministic simulator on the real engine (docs/simulation.md). CI also runs 5,000
/// scenarios with `apex-simulate` (scripts/test.sh); these keep the seeds of bugs it found.
@Suite struct SimulationTests {
    /// Seeds that failed before a fix, each with what it found:
    /// - 42, 63: two signals arrive while nothing drives the run; before outside events could
    ///   stand anywhere, every driver failed with APEX-R001 and the run never finished.
    /// - 17, 35: the workflow files are deleted or edited under a run with children; before
    ///   runs pinned their children and loading stopped re-running the validation rules, every
    ///   driver failed with "child workflow "middle.yaml" does not exist".
    /// - 115: a driver paused past its lease appended after the process that took the run
    ///   over; before appends were fenced by the lease, one attempt was started twice.
    /// - 2244: a driver whose run was taken over was woken by a signal sent through its engine;
    ///   before news from other drivers stopped it, it failed with APEX-R002 (timing-dependent:
    ///   `LostRunNewsTests` plays it deterministically).
    ///
    /// Each keeps the workflow it played when it was found (the library has grown since).
    @Test(arguments: [(42, "approval.yaml"), (63, "approval.yaml"), (17, "nested.yaml"), (35, "nested.yaml"), (115, "linear.yaml"), (2244, "tools.yaml")] as [(UInt64, String)])
    func seedsOfFoundBugsKeepEveryInvariant(_ seed: UInt64, _ workflow: String) async {
        let outcome = await Simulator.run(seed: seed, workflow: workflow)
        #expect(outcome.violations.isEmpty, "\(outcome)")
    }

    /// A few hundred scenarios in the suite itself (`APEX_SIM_SCENARIOS` raises it).
    @Test func seededScenariosKeepEveryInvariant() async {
        let count = ProcessInfo.processInfo.environment["APEX_SIM_SCENARIOS"].flatMap(UInt64.init) ?? 200
        let report = await Simulator.run(seeds: 1_000_000..<(1_000_000 + count))
        #expect(report.count == Int(count))
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        // Every workflow of the library and every kind of fault was exercised.
        #expect(report.byWorkflow.count == 7)
        #expect(report.crashed > 0 && report.lostAttempts > 0 && report.cancelled > 0)
    }
}
