@testable import ApexStorePostgres
import ApexDSL
import ApexEngine
import ApexTesting
import Foundation
import Testing

/// The server killed (`pg_ctl stop -m immediate`) and started again while a store writes and
/// listens. Needs the cluster's folder, `APEX_TEST_POSTGRES_CLUSTER_DIR`, and must run alone
/// (it takes the server away from every other test): `swift test --filter FaultTests`.
@Suite(.enabled(if: TestServer.isConfigured && TestServer.clusterFolder != nil,
                 "APEX_TEST_POSTGRES_CLUSTER_DIR is not set (run alone, see FaultTests)"))
struct FaultTests {
    @Test func writesAndChangesOutliveAServerRestart() async throws {
        try await TestDatabase.with { database in
            let store = await database.store(), listener = await database.store()
            let changes = ChangeCollector(try #require(listener.changes()))
            try await ChangeTests.waitUntilListening(listener)
            try await Runs.create("r1", in: store)
            #expect(await changes.next()?.kind == .created)

            // A driver's loop of outside events and appends, with the server gone for 2 s in the middle.
            let restart = Task { try await Self.restartServer(downFor: 2) }
            let end = ContinuousClock.now + .seconds(6)
            var rounds = 0
            while ContinuousClock.now < end {
                let event = try await store.appendExternal(runID: "r1", kind: .cancelRequested(reason: "round \(rounds)"), at: Runs.at(1))
                try await store.append(runID: "r1", events: [Event(seq: event.seq + 1, at: Runs.at(1), kind: .stepSkipped(step: "s\(rounds)", visit: 1))],
                                       expectedLastSeq: event.seq, update: RunUpdate(status: .running))
                rounds += 1
                try await Task.sleep(for: .milliseconds(20))
            }
            try await restart.value
            let events = try await store.events(runID: "r1", after: 0)
            #expect(events.map(\.seq) == Array(1...(1 + 2 * rounds)))

            // The listening connection is back, and hears what happens now.
            try await ChangeTests.waitUntilListening(listener)
            while await changes.next(within: .milliseconds(50)) != nil {}
            try await Runs.create("r2", in: store)
            #expect(await changes.next() == StoreChange(kind: .created, runID: "r2", taskQueue: TaskQueue.defaultName))
        }
    }

    /// Runs `scripts/postgres-cluster.sh restart-immediate` after a second. Spawned and reaped
    /// with posix_spawn and waitpid (Foundation's Process left it a zombie that `isRunning`
    /// never saw end).
    static func restartServer(downFor seconds: Int) async throws {
        try await Task.sleep(for: .seconds(1))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../scripts/postgres-cluster.sh").standardized
        let arguments = ["/bin/bash", script.path, "restart-immediate", try #require(TestServer.clusterFolder), "\(seconds)"]
        // Never while a test that cannot bear an outage runs.
        let status = try await TestServerOutages.exclusively {
            var argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            try #require(posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ) == 0)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(50)) }
            return status
        }
        #expect(status == 0, "restart-immediate exited with status \(status)")
    }
}
