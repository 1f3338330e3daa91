import ApexEngine
import GRDB
import Testing

@testable import ApexStoreSQLite

/// The queries every process repeats while it drives runs walk an index, not the table.
@Suite struct SQLiteRunStoreQueryPlanTests {
    @Test func runsWithNewsSearchesTheAttentionIndexInStartOrder() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteRunStore.runsWithNewsSQL, arguments: ["default", "worker"]).map { $0["detail"] as String }
            }
            // One search of the index on its equalities, and no sort (the index is in start order).
            #expect(plan.count == 1, "\(plan)")
            #expect(plan.first?.contains("SEARCH runs USING INDEX runs_with_news (namespace=? AND lease_owner=?)") == true, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test func aPageOfRunsSearchesTheNamespaceIndexFromItsCursor() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let arguments: StatementArguments = [
                "namespace": "default", "status": nil, "workflow": nil, "parent": nil, "lowest": Int64.min, "highest": 1_000,
                "before": nil, "afterAt": 1_000, "afterID": "r9", "limit": 50,
            ]
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteRunStore.runsSQL, arguments: arguments).map { $0["detail"] as String }
            }
            // A range of the index (from the cursor's start time down), in the listing's order.
            #expect(plan.count == 1, "\(plan)")
            #expect(plan.first?.contains("SEARCH runs USING INDEX runs_by_namespace (namespace=? AND started_at>? AND started_at<?)") == true,
                    "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test func namespaceEventsSearchTheTimeIndexFromTheirPosition() async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let arguments: StatementArguments = ["namespace": "default", "from": 1_000, "afterAt": 1_000, "afterRun": "r1", "afterSeq": 3, "limit": 50]
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteRunStore.namespaceEventsSQL, arguments: arguments).map { $0["detail"] as String }
            }
            #expect(plan.count == 1, "\(plan)")
            #expect(plan.first?.contains("SEARCH events USING INDEX events_by_time (namespace=? AND at>?)") == true, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }
}
