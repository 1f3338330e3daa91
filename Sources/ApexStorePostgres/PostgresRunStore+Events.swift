import ApexEngine
import NIOCore
import PostgresNIO

extension PostgresRunStore {
    public func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        try await withRetry { connection, _ in try await self.storedEvents(runID: runID, after: after, limit: limit, connection) }
    }

    public func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent] {
        var sql = SQLBuilder()
        var conditions = ["namespace = \(sql.bind(namespace))", "at >= \(sql.bind(since.milliseconds))"]
        // A row comparison, which the index `events_by_time` reads from the position on.
        if let after {
            conditions.append("(at, run_id, seq) > (\(sql.bind(after.at.milliseconds)), \(sql.bind(after.runID)), \(sql.bind(Int64(after.seq))))")
        }
        let most = sql.bind(max(limit, 0))
        let query = sql.query("""
            SELECT run_id, body FROM events WHERE \(conditions.joined(separator: " AND "))
            ORDER BY at, run_id, seq LIMIT \(most)
            """)
        return try await withRetry { connection, _ in
            try await connection.rows(query, logger: self.driverLogger).map { row in
                let (runID, body) = try row.decode((String, ByteBuffer).self)
                return RunEvent(runID: runID, event: try body.withUnsafeReadableBytes { try Event(storedUTF8: $0) })
            }
        }
    }

    public func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        precondition(events.isNumbered(after: expectedLastSeq), "appended events continue expectedLastSeq")
        let lastSeq = events.last?.seq ?? expectedLastSeq
        let rows = EventRows(events)
        // One statement, so one round trip and its own transaction. The seq check and the lease
        // fence are the UPDATE's WHERE clause: the row changes only if no one appended since
        // the driver read it and no one else took the lease. A concurrent append holds the row
        // until it commits; this UPDATE then re-checks the clause on the row it left, and
        // changes nothing. The events are inserted only if the row changed.
        let statement: PostgresQuery = """
            WITH updated AS (
                UPDATE runs SET status = \(update.status.rawValue), output = \(update.output?.compactJSON),
                                error = \(update.error?.json.compactJSON), current_step = \(update.currentStep),
                                finished_at = \(update.finishedAt?.milliseconds), wake_at = \(update.wakeAt?.milliseconds),
                                last_seq = \(lastSeq), needs_attention = false,
                                lease_owner = CASE WHEN \(update.status.isFinished) THEN NULL ELSE lease_owner END,
                                lease_until = CASE WHEN \(update.status.isFinished) THEN NULL ELSE lease_until END
                WHERE namespace = \(namespace) AND id = \(runID) AND last_seq = \(expectedLastSeq)
                  AND (\(leaseOwner)::text IS NULL OR lease_owner = \(leaseOwner))
                RETURNING id
            ), inserted AS (
                INSERT INTO events (namespace, run_id, seq, type, at, body)
                SELECT \(namespace), \(runID), e.seq, e.type, e.at, e.body
                FROM updated, unnest(\(rows.seqs)::bigint[], \(rows.types)::text[], \(rows.ats)::bigint[], \(rows.bodies)::text[])
                     AS e(seq, type, at, body)
            )
            SELECT count(*) FROM updated
            """
        try await inOneStatement(statement) { result, connection, attempt in
            guard try result.first?.decode(Int64.self) != 1 else { return }
            let rows = try await connection.rows(
                "SELECT lease_owner FROM runs WHERE namespace = \(self.namespace) AND id = \(runID)", logger: self.driverLogger)
            guard let row = rows.first else { throw StoreError.unknownRun(runID) }
            // An attempt whose answer was lost finds its own events in place.
            if attempt.mayHaveCommitted, !events.isEmpty,
               try await self.storedEvents(runID: runID, after: expectedLastSeq, limit: events.count, connection) == events {
                return
            }
            if let leaseOwner, try row.decode(String?.self) != leaseOwner { throw StoreError.leaseLost(runID: runID) }
            throw StoreError.conflict(runID: runID, lastSeq: expectedLastSeq)
        }
    }

    public func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        try await inTransaction { connection, attempt in
            // An attempt whose COMMIT went unanswered may have appended this very event.
            if attempt.mayHaveCommitted, let event = try await self.storedEvent(kind, at: at, runID: runID, connection) { return event }
            // Taking the next seq and marking attention is one statement, so a driver that read
            // the history before it conflicts on its next append and reads this event first.
            let rows = try await connection.rows("""
                UPDATE runs SET last_seq = last_seq + 1, needs_attention = true
                WHERE namespace = \(self.namespace) AND id = \(runID) AND status = 'running'
                RETURNING last_seq, task_queue
                """, logger: self.driverLogger)
            guard let row = rows.first else {
                let found = try await connection.rows("SELECT 1 FROM runs WHERE namespace = \(self.namespace) AND id = \(runID)",
                                                      logger: self.driverLogger)
                throw found.isEmpty ? StoreError.unknownRun(runID) : StoreError.runFinished(runID)
            }
            let (seq, taskQueue) = try row.decode((Int, String).self)
            let event = Event(seq: seq, at: at, kind: kind)
            try await self.insert([event], runID: runID, connection)
            try await self.notify(.outsideEvent, taskQueue: taskQueue, runID: runID, connection)
            return event
        }
    }

    /// The events of a run after `after`, decoded from the bytes of each body as received.
    func storedEvents(runID: String, after: Int, limit: Int?, _ connection: PostgresConnection) async throws -> [Event] {
        // LIMIT NULL is no limit.
        let rows = try await connection.rows("""
            SELECT body FROM events WHERE namespace = \(namespace) AND run_id = \(runID) AND seq > \(after)
            ORDER BY seq LIMIT \(limit)::bigint
            """, logger: driverLogger)
        return try rows.map { row in
            let body = try row.decode(ByteBuffer.self)
            return try body.withUnsafeReadableBytes { try Event(storedUTF8: $0) }
        }
    }

    /// The stored event of `runID` with this kind and time, if any.
    private func storedEvent(_ kind: EventKind, at: Timestamp, runID: String, _ connection: PostgresConnection) async throws -> Event? {
        let rows = try await connection.rows("""
            SELECT body FROM events WHERE namespace = \(namespace) AND run_id = \(runID) AND type = \(kind.type) AND at = \(at.milliseconds)
            ORDER BY seq
            """, logger: driverLogger)
        for row in rows {
            let event = try row.decode(ByteBuffer.self).withUnsafeReadableBytes { try Event(storedUTF8: $0) }
            if event.kind == kind { return event }
        }
        return nil
    }

    /// Inserts events as their documented JSON, with seq, type and time beside it for queries:
    /// one statement for the whole batch (a thousand events are one round trip).
    func insert(_ events: [Event], runID: String, _ connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        let rows = EventRows(events)
        try await connection.query("""
            INSERT INTO events (namespace, run_id, seq, type, at, body)
            SELECT \(namespace), \(runID), * FROM unnest(\(rows.seqs)::bigint[], \(rows.types)::text[], \(rows.ats)::bigint[], \(rows.bodies)::text[])
            """, logger: driverLogger)
    }
}

/// Events as the columns of the `events` table, one array each, for `unnest`.
struct EventRows {
    let seqs: [Int64], types: [String], ats: [Int64], bodies: [String]

    init(_ events: [Event]) {
        seqs = events.map { Int64($0.seq) }
        types = events.map(\.kind.type)
        ats = events.map(\.at.milliseconds)
        bodies = events.map(\.json.compactJSON)
    }
}

extension PostgresConnection {
    /// Runs `query` and reads all its rows.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
