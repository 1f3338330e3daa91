import ApexEngine
import PostgresNIO

extension PostgresRunStore {
    public func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        precondition(events.isNumbered(after: 0), "a new run's events are numbered from 1")
        precondition(run.namespace == namespace, "a store creates runs of its own namespace")
        let lastSeq = events.last?.seq ?? 0
        // A new running run needs a driver (a detached start leaves it to a worker).
        let needsAttention = update.status == .running
        let rows = EventRows(events)
        let payload = "\(namespace)\t\(StoreChange.Kind.created.rawValue)\t\(run.taskQueue)\t\(run.id)"
        // One statement, so one round trip and its own transaction. Inserting and seeing whether
        // a row was written decides which of two processes starting the same id created it: the
        // second waits for the first's commit on the primary key, then does nothing; the events
        // and the notification (sent at commit) follow only a row written.
        let statement: PostgresQuery = """
            WITH created AS (
                INSERT INTO runs (namespace, id, task_queue, workflow, definition_hash, status, input, output, error, current_step,
                                  started_at, finished_at, parent_run_id, last_seq, wake_at, needs_attention)
                VALUES (\(namespace), \(run.id), \(run.taskQueue), \(run.workflow), \(run.definitionHash), \(update.status.rawValue),
                        \(run.input.compactJSON), \(update.output?.compactJSON), \(update.error?.json.compactJSON), \(update.currentStep),
                        \(run.startedAt.milliseconds), \(update.finishedAt?.milliseconds), \(run.parentRunID), \(lastSeq),
                        \(update.wakeAt?.milliseconds), \(needsAttention))
                ON CONFLICT (namespace, id) DO NOTHING
                RETURNING id
            ), inserted AS (
                INSERT INTO events (namespace, run_id, seq, type, at, body)
                SELECT \(namespace), created.id, e.seq, e.type, e.at, e.body
                FROM created, unnest(\(rows.seqs)::bigint[], \(rows.types)::text[], \(rows.ats)::bigint[], \(rows.bodies)::text[])
                     AS e(seq, type, at, body)
            ), notified AS (
                SELECT pg_notify(\(Self.changesChannel), \(payload)) FROM created WHERE \(needsAttention)
            )
            SELECT (SELECT count(*) FROM created), (SELECT count(*) FROM notified)
            """
        return try await inOneStatement(statement) { result, connection, attempt in
            if let (created, _) = try result.first?.decode((Int64, Int64).self), created == 1 { return .created }
            guard let existing = try await self.fetchRun(id: run.id, connection) else { throw StoreError.unknownRun(run.id) }
            // An attempt whose answer was lost finds the run it created itself. Its notification
            // may have been lost with the server too: sent again (a second one only wakes a
            // worker that finds nothing more).
            if attempt.mayHaveCommitted, try await self.isOurs(existing, run, events, connection) {
                if needsAttention { try await self.notify(.created, taskQueue: run.taskQueue, runID: run.id, connection) }
                return .created
            }
            return .existing(existing)
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await withRetry { connection, _ in try await self.fetchRun(id: id, connection) }
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        // Only the conditions that filter: each one set is a bound parameter.
        var sql = SQLBuilder()
        var conditions = Self.conditions(filter, namespace: namespace, sql: &sql)
        if let status = filter.status { conditions.append("status = \(sql.bind(status.rawValue))") }
        // A row comparison, which the index on (namespace, started_at DESC, id DESC) reads from
        // the cursor on.
        if let after = filter.after { conditions.append("(started_at, id) < (\(sql.bind(after.startedAt.milliseconds)), \(sql.bind(after.id)))") }
        let limit = sql.bind(max(filter.limit, 0))
        let query = sql.query("""
            SELECT \(RunRecord.columns) FROM runs WHERE \(conditions.joined(separator: " AND "))
            ORDER BY started_at DESC, id DESC LIMIT \(limit)
            """)
        return try await withRetry { connection, _ in try await connection.rows(query, logger: self.driverLogger).runRecords() }
    }

    public func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int] {
        var sql = SQLBuilder()
        let conditions = Self.conditions(filter, namespace: namespace, sql: &sql)
        let query = sql.query("SELECT status, count(*) FROM runs WHERE \(conditions.joined(separator: " AND ")) GROUP BY status")
        return try await withRetry { connection, _ in
            var counts: [RunStatus: Int] = [:]
            for row in try await connection.rows(query, logger: self.driverLogger) {
                let (status, count) = try row.decode((String, Int64).self)
                if let status = RunStatus(rawValue: status) { counts[status] = Int(count) }
            }
            return counts
        }
    }

    /// The conditions of a listing that all its pages and statuses share.
    private static func conditions(_ filter: RunFilter, namespace: String, sql: inout SQLBuilder) -> [String] {
        var conditions = ["namespace = \(sql.bind(namespace))"]
        if let workflow = filter.workflow { conditions.append("workflow = \(sql.bind(workflow))") }
        if let parent = filter.parentRunID { conditions.append("parent_run_id = \(sql.bind(parent))") }
        if let from = filter.startedAfter { conditions.append("started_at >= \(sql.bind(from.milliseconds))") }
        if let before = filter.startedBefore { conditions.append("started_at < \(sql.bind(before.milliseconds))") }
        return conditions
    }

    func fetchRun(id: String, _ connection: PostgresConnection) async throws -> RunRecord? {
        try await connection.rows("SELECT \(unescaped: RunRecord.columns) FROM runs WHERE namespace = \(namespace) AND id = \(id)",
                                  logger: driverLogger).runRecords().first
    }

    /// Whether `existing` is the run `run` with `events` as this store would have written it.
    private func isOurs(_ existing: RunRecord, _ run: RunRecord, _ events: [Event], _ connection: PostgresConnection) async throws -> Bool {
        let identity = { (record: RunRecord) in
            [record.workflow, record.definitionHash, record.taskQueue, record.parentRunID ?? "", record.input.compactJSON]
        }
        guard identity(existing) == identity(run), existing.startedAt == run.startedAt else { return false }
        return try await storedEvents(runID: run.id, after: 0, limit: events.count, connection) == events
    }
}
