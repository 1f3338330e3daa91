import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// `Engine.follow`: watching a run that another process drives, as `apex run` and
/// `apex resume` do when a worker holds the run.
@Suite struct FollowTests {
    final class Seen: RunObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var types: [String] = []
        var all: [String] { lock.withLock { types } }
        func loaded(_ events: [Event], machine: RunMachine) { lock.withLock { types += ["loaded"] + events.map(\.kind.type) } }
        func committed(_ events: [Event], machine: RunMachine) { lock.withLock { types += events.map(\.kind.type) } }
    }

    @Test func aFollowerSeesWhatTheDriverCommitsAndReturnsTheFinishedRun() async throws {
        let store = InMemoryRunStore()
        let driver = DriverNewsTests.engine(store, worker: "driver", poll: Duration(milliseconds: 20))
        let follower = DriverNewsTests.engine(store, worker: "follower", poll: Duration(milliseconds: 20))
        let runID = try await DriverNewsTests.start(DriverNewsTests.approval, on: driver)
        let driving = try await DriverNewsTests.driveInBackground(runID, on: driver)

        let seen = Seen()
        let following = Task { try await follower.follow(runID: runID, observer: seen) }
        _ = try await driver.signal(runID: runID, name: "approve", payload: ["approved": true])
        let record = try await withTimeLimit(seconds: DriverNewsTests.limit, "following the run") { try await following.value }
        _ = try await DriverNewsTests.finished(driving)

        #expect(record.status == .completed)
        #expect(record.output == true)
        let types = seen.all
        #expect(types.first == "loaded")
        #expect(types.last == "RunCompleted")
        #expect(types.filter { $0 == "RunStarted" }.count == 1)
        #expect(types.contains("SignalConsumed"))
    }
}
