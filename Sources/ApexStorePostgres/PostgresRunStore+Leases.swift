import ApexEngine
import PostgresNIO

extension PostgresRunStore {
    public func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        // Idempotent for its owner, so a retry after a lost connection is harmless.
        try await withRetry { connection, _ in
            // Check and take in one statement: of two processes claiming the same run, the
            // second waits for the first's commit, re-checks the row it left, and changes nothing.
            let taken = try await connection.rows("""
                UPDATE runs SET lease_owner = \(owner), lease_until = \(until.milliseconds)
                WHERE namespace = \(self.namespace) AND id = \(runID)
                  AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_until < \(now.milliseconds))
                RETURNING id
                """, logger: self.driverLogger)
            if !taken.isEmpty { return true }
            guard try await self.fetchRun(id: runID, connection) != nil else { throw StoreError.unknownRun(runID) }
            return false
        }
    }

    public func leaseHolder(runID: String) async throws -> String? {
        try await withRetry { connection, _ in
            let rows = try await connection.rows("""
                SELECT lease_owner FROM runs WHERE namespace = \(self.namespace) AND id = \(runID)
                """, logger: self.driverLogger)
            guard let row = rows.first else { throw StoreError.unknownRun(runID) }
            return try row.decode(String?.self)
        }
    }

    public func releaseLease(runID: String, owner: String) async throws {
        // Releasing and telling the listeners is one statement (so one transaction): they hear
        // of it once it is committed, and never of a release that was not.
        let payloadStart = "\(namespace)\t\(StoreChange.Kind.released.rawValue)\t", payloadEnd = "\t\(runID)"
        try await withRetry { connection, _ in
            _ = try await connection.rows("""
                WITH released AS (
                    UPDATE runs SET lease_owner = NULL, lease_until = NULL
                    WHERE namespace = \(self.namespace) AND id = \(runID) AND lease_owner = \(owner)
                    RETURNING task_queue)
                SELECT pg_notify(\(Self.changesChannel), \(payloadStart) || task_queue || \(payloadEnd)) FROM released
                """, logger: self.driverLogger)
        }
    }

    public func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String] {
        guard !runIDs.isEmpty else { return [] }
        let renewed = try await withRetry { connection, _ in
            try await connection.rows("""
                UPDATE runs SET lease_until = \(until.milliseconds)
                WHERE namespace = \(self.namespace) AND id = ANY(\(runIDs)::text[]) AND lease_owner = \(owner)
                RETURNING id
                """, logger: self.driverLogger).map { try $0.decode(String.self) }
        }
        let kept = Set(renewed)
        return runIDs.filter { kept.contains($0) }
    }

    public func runsWithNews(owner: String) async throws -> [RunNews] {
        try await withRetry { connection, _ in
            // Reads the partial index runs_with_news: running runs needing attention, by owner.
            try await connection.rows("""
                SELECT id, last_seq FROM runs
                WHERE namespace = \(self.namespace) AND status = 'running' AND needs_attention AND lease_owner = \(owner)
                ORDER BY started_at, id
                """, logger: self.driverLogger).map { row in
                let (id, lastSeq) = try row.decode((String, Int).self)
                return RunNews(runID: id, lastSeq: lastSeq)
            }
        }
    }
}
