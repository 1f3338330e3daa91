import ApexEngine
import PostgresNIO

extension PostgresRunStore {
    public func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String],
                          excluding: Set<String>) async throws -> [String] {
        guard limit > 0, !taskQueues.isEmpty else { return [] }
        let claim = claimQuery(owner: owner, until: until, now: now, limit: limit, taskQueues: taskQueues, excluding: excluding)
        // The claim whose COMMIT went unanswered leased its runs to `owner` until `until`: they
        // are this claim's too (the runs `owner` drives already are in `excluding`).
        var sql = SQLBuilder()
        let mine = claimable(&sql, taskQueues: taskQueues, excluding: excluding)
        let leased = "lease_owner = \(sql.bind(owner)) AND lease_until = \(sql.bind(until.milliseconds))"
        let taken = sql.query("SELECT id, started_at FROM runs WHERE \(mine) AND \(leased)")
        let claimed = try await inTransaction { connection, attempt in
            var rows = try await connection.rows(claim, logger: self.driverLogger)
            if attempt.mayHaveCommitted { rows += try await connection.rows(taken, logger: self.driverLogger) }
            return try rows.map { try $0.decode((String, Int64).self) }
        }
        var seen = Set<String>()
        let oldestFirst = claimed.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0).filter { seen.insert($0).inserted }
        return Array(oldestFirst.prefix(limit))
    }

    /// The claim: one SELECT per reason a run is claimable, each walking its own partial index
    /// and locking what it returns with SKIP LOCKED (rows another claimer is taking right now
    /// are passed over instead of waited for; a row another claimer took and committed is
    /// re-checked, found leased, and left out); the oldest `limit` are leased in the same
    /// statement.
    private func claimQuery(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String],
                            excluding: Set<String>) -> PostgresQuery {
        var sql = SQLBuilder()
        let mine = claimable(&sql, taskQueues: taskQueues, excluding: excluding)
        let now = sql.bind(now.milliseconds), limit = sql.bind(limit)
        let free = "(lease_owner IS NULL OR lease_until < \(now))"
        func reason(_ condition: String) -> String {
            "SELECT id, started_at FROM runs WHERE \(mine) AND \(condition) ORDER BY started_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED"
        }
        let lease = "lease_owner = \(sql.bind(owner)), lease_until = \(sql.bind(until.milliseconds))"
        return sql.query("""
            WITH due AS (\(reason("wake_at <= \(now) AND \(free)"))),
                 attention AS (\(reason("needs_attention AND \(free)"))),
                 expired AS (\(reason("lease_owner IS NOT NULL AND lease_until < \(now)"))),
                 picked AS (SELECT id, started_at FROM due UNION SELECT id, started_at FROM attention
                            UNION SELECT id, started_at FROM expired ORDER BY started_at, id LIMIT \(limit))
            UPDATE runs SET \(lease)
            FROM picked WHERE runs.namespace = $1 AND runs.id = picked.id
            RETURNING runs.id, runs.started_at
            """)
    }

    /// This namespace's running runs of `taskQueues`, less `excluding` (the namespace is $1).
    private func claimable(_ sql: inout SQLBuilder, taskQueues: [String], excluding: Set<String>) -> String {
        """
        namespace = \(sql.bind(namespace)) AND status = 'running' AND task_queue = ANY(\(sql.bind(taskQueues))::text[])
        AND NOT (id = ANY(\(sql.bind(Array(excluding)))::text[]))
        """
    }

    public func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp? {
        guard !taskQueues.isEmpty else { return nil }
        let now = now.milliseconds
        // The next timer of a run no one holds, and the next expiry of a lease: a lease is live
        // up to and including its `lease_until`, and a held run's timers are its holder's. Each
        // side walks its partial index in time order and stops at the first row that fits.
        let earliest = try await withRetry { connection, _ in
            try await connection.rows("""
                SELECT LEAST(
                    (SELECT wake_at FROM runs
                     WHERE namespace = \(self.namespace) AND status = 'running' AND wake_at > \(now) AND lease_owner IS NULL
                       AND task_queue = ANY(\(taskQueues)::text[])
                     ORDER BY wake_at LIMIT 1),
                    (SELECT lease_until + 1 FROM runs
                     WHERE namespace = \(self.namespace) AND status = 'running' AND lease_owner IS NOT NULL
                       AND lease_until >= \(now) AND task_queue = ANY(\(taskQueues)::text[])
                     ORDER BY lease_until LIMIT 1))
                """, logger: self.driverLogger).first?.decode(Int64?.self)
        }
        return earliest.flatMap { $0 }.map(Timestamp.init(milliseconds:))
    }
}
