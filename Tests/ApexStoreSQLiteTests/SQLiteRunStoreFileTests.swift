import ApexDSL
import ApexEngine
import Foundation
import GRDB
import Testing

@testable import ApexStoreSQLite

/// How the store opens its file: the settings its durability rests on, and clear refusals for
/// files it cannot use.
@Suite struct SQLiteRunStoreFileTests {
    @Test func writesEveryCommitToDiskInWALMode() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let (synchronous, journalMode, foreignKeys, busyTimeout) = try await store.pool.write { db in
                (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA busy_timeout"))
            }
            #expect(synchronous == 2, "synchronous=FULL")
            #expect(journalMode == "wal")
            #expect(foreignKeys == 1)
            #expect(busyTimeout == 5000)
        }
    }

    @Test func createsTheSchemaAtTheLatestVersion() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path("nested/folders/apex.db"))
            let (version, tables) = try await store.pool.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA user_version"),
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"))
            }
            #expect(version == Migrator.latestVersion)
            #expect(tables == ["definitions", "events", "events_by_time", "runs", "runs_by_attention", "runs_by_lease", "runs_by_namespace",
                               "runs_by_parent", "runs_by_wake", "runs_with_news", "workflow_versions"])
        }
    }

    @Test func upgradesAVersionOneFileKeepingItsRuns() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path()
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try Migration.createTables.apply(db)
                try db.execute(sql: "PRAGMA user_version = 1")
                try db.execute(sql: """
                    INSERT INTO definitions VALUES ('h', 'w', 'apex: 1', 'w.yaml', 0);
                    INSERT INTO runs (id, namespace, workflow, definition_hash, status, input, started_at, last_seq, needs_attention)
                    VALUES ('r1', 'default', 'w', 'h', 'running', '{}', 5, 1, 1);
                    INSERT INTO events VALUES ('r1', 1, 'RunCancelled', 5, '{"seq":1,"at":"1970-01-01T00:00:00.005Z","type":"RunCancelled"}');
                    """)
            }
            try queue.close()
            let store = try SQLiteRunStore(path: path)
            let version = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
            #expect(version == Migrator.latestVersion)
            // Version 4 moved the runs and their events into the namespace-keyed tables, on the default queue.
            #expect(try await store.run(id: "r1")?.taskQueue == TaskQueue.defaultName)
            #expect(try await store.events(runID: "r1", after: 0).map(\.kind) == [.runCancelled])
            #expect(try await store.claimRuns(owner: "w", until: Timestamp(milliseconds: 20), now: Timestamp(milliseconds: 10), limit: 10,
                                              taskQueues: [TaskQueue.defaultName], excluding: []) == ["r1"])
        }
    }

    @Test func refusesAFileThatIsNotADatabaseNamingIt() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path("notes.db")
            try Data(String(repeating: "this is not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
            guard case .unusable(let message)? = error else { Issue.record("expected .unusable, got \(String(describing: error))"); return }
            #expect(message.contains(path))
            #expect(message.contains("not an SQLite database"))
        }
    }

    @Test func refusesADatabaseWrittenByANewerApex() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let newer = Migrator.latestVersion + 1
            try await store.pool.write { db in try db.execute(sql: "PRAGMA user_version = \(newer)") }
            await #expect(throws: StoreError.newerSchema(found: newer, supported: Migrator.latestVersion)) { try await store.migrate() }
            #expect(throws: StoreError.newerSchema(found: newer, supported: Migrator.latestVersion)) { try SQLiteRunStore(path: folder.path()) }
        }
    }

    @Test func givesUpOnAFileThatStaysLocked() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path()
            let store = try SQLiteRunStore(path: path, busyTimeout: 0.2)
            // Another process holding the write lock: a connection left inside a transaction.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }

            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            guard case .unusable(let message)? = error else { Issue.record("expected .unusable, got \(String(describing: error))"); return }
            #expect(message.contains(path))
            #expect(message.contains("locked"))
            #expect(throws: StoreError.self) { try SQLiteRunStore(path: path, busyTimeout: 0.2) }

            try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try await store.migrate()
        }
    }
}
