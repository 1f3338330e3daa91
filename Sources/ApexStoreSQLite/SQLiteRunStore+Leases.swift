import ApexEngine
import GRDB

extension SQLiteRunStore {
    public func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        try await write { db in
            // Check and take in one statement under the write lock: of two processes claiming
            // the same run, the second finds the first one's live lease and changes nothing.
            try db.cachedStatement(sql: """
                UPDATE runs SET lease_owner = :owner, lease_until = :until
                WHERE id = :run AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)
                """).execute(arguments: ["owner": owner, "until": until.milliseconds, "run": runID, "now": now.milliseconds])
            if db.changesCount == 1 { return true }
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM runs WHERE id = ?")
            guard try Bool.fetchOne(statement, arguments: [runID]) != nil else { throw StoreError.unknownRun(runID) }
            return false
        }
    }

    public func releaseLease(runID: String, owner: String) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?
                """).execute(arguments: [runID, owner])
        }
    }

    public func claimableRuns(now: Timestamp, limit: Int) async throws -> [String] {
        try await read { db in
            // One SELECT per reason, each answered by its own index on a running run's column;
            // a single WHERE with ORs would scan every running run, and a node holds 100,000
            // waiting ones. UNION drops a run that is claimable for two reasons. Fresh runs
            // can be that many too: their SELECT walks its index in start order and stops at
            // the limit instead of sorting them all.
            let statement = try db.cachedStatement(sql: """
                SELECT id, started_at FROM runs INDEXED BY runs_by_wake
                WHERE status = 'running' AND wake_at <= :now AND (lease_owner IS NULL OR lease_until < :now)
                UNION
                SELECT * FROM (
                    SELECT id, started_at FROM runs INDEXED BY runs_by_attention
                    WHERE status = 'running' AND needs_attention = 1 AND (lease_owner IS NULL OR lease_until < :now)
                    ORDER BY started_at, id LIMIT :limit)
                UNION
                SELECT id, started_at FROM runs INDEXED BY runs_by_lease
                WHERE status = 'running' AND lease_until < :now AND lease_owner IS NOT NULL
                ORDER BY started_at, id LIMIT :limit
                """)
            return try Row.fetchAll(statement, arguments: ["now": now.milliseconds, "limit": max(limit, 0)]).map { $0["id"] }
        }
    }

    public func runsWithNews(owner: String) async throws -> [RunNews] {
        try await read { db in
            let statement = try db.cachedStatement(sql: Self.runsWithNewsSQL)
            return try Row.fetchAll(statement, arguments: [owner]).map { RunNews(runID: $0["id"], lastSeq: $0["last_seq"]) }
        }
    }

    /// The query of ``runsWithNews(owner:)``: it reads the partial index `runs_with_news`
    /// (running runs that need attention, by lease owner) for `owner`'s runs, in start order.
    static let runsWithNewsSQL = """
        SELECT id, last_seq FROM runs INDEXED BY runs_with_news
        WHERE status = 'running' AND needs_attention = 1 AND lease_owner = ?
        ORDER BY started_at, id
        """
}
