import ApexDSL
import ApexEngine
import GRDB
import Testing
@testable import ApexStoreSQLite

/// Group commit: writes asked for together share one transaction, yet each stays
/// all-or-nothing on its own and is answered only once it is on disk.
@Suite struct SQLiteGroupCommitTests {
    static let start = Timestamp(milliseconds: 1_795_000_000_000)

    static func event(_ seq: Int) -> Event {
        Event(seq: seq, at: Timestamp(milliseconds: start.milliseconds + Int64(seq)), kind: .timerFired(timer: "t\(seq)"))
    }

    static func createRuns(_ count: Int, in store: SQLiteRunStore) async throws {
        for index in 0..<count {
            let record = RunRecord(id: "r\(index)", workflow: "w", definitionHash: "sha256-w", input: [:], startedAt: start)
            let started = Event(seq: 1, at: start, kind: .runStarted(workflow: "w", definitionHash: "sha256-w", input: [:], startedAt: start))
            #expect(try await store.createRun(record, events: [started], update: RunUpdate(status: .running)) == .created)
        }
    }

    @Test func concurrentAppendsShareTransactionsAndAllLand() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            try await Self.createRuns(200, in: store)
            let before = store.commits.committedBatches
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await store.append(runID: "r\(index)", events: [Self.event(2)], expectedLastSeq: 1, update: RunUpdate(status: .running))
                    }
                }
                try await group.waitForAll()
            }
            let batches = store.commits.committedBatches - before
            #expect(batches < 200, "200 concurrent appends took \(batches) transactions")
            // All of them are on disk, as another connection to the file sees.
            let reopened = try SQLiteRunStore(path: folder.path())
            for index in 0..<200 { #expect(try await reopened.run(id: "r\(index)")?.lastSeq == 2) }
        }
    }

    @Test func aConflictInABatchFailsItsCallerAloneAndWritesNothingOfIt() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            try await Self.createRuns(40, in: store)
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        // Odd runs expect a seq they do not have: a conflict.
                        let expected = index.isMultiple(of: 2) ? 1 : 5
                        do {
                            try await store.append(runID: "r\(index)", events: [Self.event(expected + 1)], expectedLastSeq: expected,
                                                   update: RunUpdate(status: .running))
                            return (index, true)
                        } catch let error as StoreError {
                            guard case .conflict = error else { throw error }
                            return (index, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            for index in 0..<40 {
                #expect(outcomes[index] == index.isMultiple(of: 2))
                #expect(try await store.run(id: "r\(index)")?.lastSeq == (index.isMultiple(of: 2) ? 2 : 1))
                #expect(try await store.events(runID: "r\(index)", after: 0).count == (index.isMultiple(of: 2) ? 2 : 1))
            }
        }
    }

    @Test func aBodyThatThrowsHasItsWritesRolledBackWhileTheOthersCommit() async throws {
        struct Refused: Error {}
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            try await store.write { db in try db.execute(sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY, value TEXT)") }
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        do {
                            try await store.write { db in
                                try db.execute(sql: "INSERT INTO probe (id, value) VALUES (?, 'x')", arguments: [index])
                                if !index.isMultiple(of: 5) { return }
                                // Half-done writes of a failing body must not survive it.
                                try db.execute(sql: "INSERT INTO probe (id, value) VALUES (?, 'y')", arguments: [1000 + index])
                                throw Refused()
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(results == 40)
            let ids = try await store.read { db in try Int.fetchAll(db, sql: "SELECT id FROM probe ORDER BY id") }
            #expect(ids == (0..<50).filter { !$0.isMultiple(of: 5) })
        }
    }
}
