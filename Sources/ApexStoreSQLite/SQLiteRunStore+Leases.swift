import ApexEngine
import GRDB

extension SQLiteRunStore {
    public func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        try await write { [self] db in
            // Check and take in one statement under the write lock: of two processes claiming
            // the same run, the second finds the first one's live lease and changes nothing.
            if try takeLease(runID: runID, owner: owner, until: until, now: now, db) { return true }
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM runs WHERE namespace = ? AND id = ?")
            guard try Bool.fetchOne(statement, arguments: [namespace, runID]) != nil else { throw StoreError.unknownRun(runID) }
            return false
        }
    }

    private func takeLease(runID: String, owner: String, until: Timestamp, now: Timestamp, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            UPDATE runs SET lease_owner = :owner, lease_until = :until
            WHERE namespace = :namespace AND id = :run AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)
            """).execute(arguments: ["owner": owner, "until": until.milliseconds, "namespace": namespace, "run": runID, "now": now.milliseconds])
        return db.changesCount == 1
    }

    public func releaseLease(runID: String, owner: String) async throws {
        try await write { [self] db in
            try db.cachedStatement(sql: """
                UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE namespace = ? AND id = ? AND lease_owner = ?
                """).execute(arguments: [namespace, runID, owner])
        }
    }

    public func leaseHolder(runID: String) async throws -> String? {
        try await read { [self] db in
            let statement = try db.cachedStatement(sql: "SELECT lease_owner FROM runs WHERE namespace = ? AND id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [namespace, runID]) else { throw StoreError.unknownRun(runID) }
            return row["lease_owner"]
        }
    }

    public func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String] {
        guard !runIDs.isEmpty else { return [] }
        return try await write { [self] db in
            var renewed: [String] = []
            // Within SQLite's limit on bound values per statement.
            for chunk in runIDs.chunks(of: 500) {
                let statement = try db.cachedStatement(sql: """
                    UPDATE runs SET lease_until = ?1 WHERE namespace = ?2 AND lease_owner = ?3 AND id IN (\(Self.placeholders(chunk.count, from: 4)))
                    RETURNING id
                    """)
                renewed += try String.fetchAll(statement, arguments: Self.arguments([until.milliseconds, namespace, owner], Array(chunk)))
            }
            return renewed
        }
    }

    public func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String],
                          excluding: Set<String>) async throws -> [String] {
        guard limit > 0, !taskQueues.isEmpty else { return [] }
        return try await write { [self] db in
            // Under the write lock, so no other process claims between the look and the take.
            let candidates = try Row.fetchAll(
                db.cachedStatement(sql: Self.claimableSQL(queues: taskQueues.count)),
                arguments: Self.arguments([namespace, now.milliseconds], taskQueues, [limit + excluding.count]))
            var claimed: [String] = []
            for row in candidates {
                let id: String = row["id"]
                guard claimed.count < limit, !excluding.contains(id) else { continue }
                if try takeLease(runID: id, owner: owner, until: until, now: now, db) { claimed.append(id) }
            }
            return claimed
        }
    }

    /// The claimable runs of `queues` queues, oldest first. One SELECT per reason, each walking
    /// its partial index on the namespace and the queue: a single WHERE with ORs would scan
    /// every running run, and a node holds 100,000 waiting ones. UNION drops a run that is
    /// claimable for two reasons. Fresh runs can be that many too: their SELECT walks its
    /// index in start order and stops at the limit instead of sorting them all.
    static func claimableSQL(queues count: Int) -> String {
        let queues = placeholders(count)
        let limit = "?\(3 + count)"
        return """
            SELECT id, started_at FROM runs INDEXED BY runs_by_wake
            WHERE namespace = ?1 AND task_queue IN (\(queues)) AND status = 'running' AND wake_at IS NOT NULL AND wake_at <= ?2
                  AND (lease_owner IS NULL OR lease_until < ?2)
            UNION
            SELECT * FROM (
                SELECT id, started_at FROM runs INDEXED BY runs_by_attention
                WHERE namespace = ?1 AND task_queue IN (\(queues)) AND status = 'running' AND needs_attention = 1
                      AND (lease_owner IS NULL OR lease_until < ?2)
                ORDER BY started_at, id LIMIT \(limit))
            UNION
            SELECT id, started_at FROM runs INDEXED BY runs_by_lease
            WHERE namespace = ?1 AND task_queue IN (\(queues)) AND status = 'running' AND lease_owner IS NOT NULL AND lease_until < ?2
            ORDER BY started_at, id LIMIT \(limit)
            """
    }

    public func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp? {
        guard !taskQueues.isEmpty else { return nil }
        return try await read { db in
            let statement = try db.cachedStatement(sql: Self.nextClaimableSQL(queues: taskQueues.count))
            return try Int64.fetchOne(statement, arguments: Self.arguments([namespace, now.milliseconds], taskQueues))
                .map(Timestamp.init(milliseconds:))
        }
    }

    /// The next timer of a run no one holds, and the next expiry of a lease (a lease is live
    /// up to and including its `lease_until`; a held run's timers are its holder's).
    static func nextClaimableSQL(queues: Int) -> String {
        let queues = placeholders(queues)
        return """
            SELECT MIN(at) FROM (
                SELECT MIN(wake_at) AS at FROM runs INDEXED BY runs_by_wake
                WHERE namespace = ?1 AND task_queue IN (\(queues)) AND status = 'running' AND wake_at IS NOT NULL AND wake_at > ?2
                      AND lease_owner IS NULL
                UNION ALL
                SELECT MIN(lease_until) + 1 AS at FROM runs INDEXED BY runs_by_lease
                WHERE namespace = ?1 AND task_queue IN (\(queues)) AND status = 'running' AND lease_owner IS NOT NULL AND lease_until >= ?2)
            """
    }

    public func runsWithNews(owner: String) async throws -> [RunNews] {
        try await read { db in
            let statement = try db.cachedStatement(sql: Self.runsWithNewsSQL)
            return try Row.fetchAll(statement, arguments: [namespace, owner]).map { RunNews(runID: $0["id"], lastSeq: $0["last_seq"]) }
        }
    }

    /// The query of ``runsWithNews(owner:)``: it reads the partial index `runs_with_news`
    /// (running runs that need attention, by namespace and lease owner) for `owner`'s runs, in
    /// start order.
    static let runsWithNewsSQL = """
        SELECT id, last_seq FROM runs INDEXED BY runs_with_news
        WHERE namespace = ? AND status = 'running' AND needs_attention = 1 AND lease_owner = ?
        ORDER BY started_at, id
        """

    /// Positional arguments made of several lists.
    static func arguments(_ lists: [any DatabaseValueConvertible]...) -> StatementArguments {
        StatementArguments(lists.flatMap { $0 })
    }

    /// `?3, ?4, …` for `count` values (the namespace and the time are ?1 and ?2).
    static func placeholders(_ count: Int, from first: Int = 3) -> String {
        (first..<first + count).map { "?\($0)" }.joined(separator: ", ")
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
