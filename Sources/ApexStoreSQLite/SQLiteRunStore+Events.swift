import ApexDSL
import ApexEngine
import Foundation
import GRDB

extension SQLiteRunStore {
    public func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        try await read { db in
            // A negative LIMIT is no limit in SQLite.
            let statement = try db.cachedStatement(sql: "SELECT body FROM events WHERE namespace = ? AND run_id = ? AND seq > ? ORDER BY seq LIMIT ?")
            var events: [Event] = []
            let rows = try Row.fetchCursor(statement, arguments: [namespace, runID, after, limit ?? -1])
            while let row = try rows.next() {
                // Decoded from SQLite's own buffer: no String (and no UTF-8 check) per body.
                events.append(try row.withUnsafeData(atIndex: 0) { body in
                    try (body ?? Data()).withUnsafeBytes { bytes in try Event(storedUTF8: bytes) }
                })
            }
            return events
        }
    }

    public func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent] {
        // The lowest time an event can have, never NULL, for the index; the position's exact
        // condition follows it.
        let from = max(since.milliseconds, after?.at.milliseconds ?? since.milliseconds)
        return try await read { db in
            let arguments: StatementArguments = [
                "namespace": namespace, "from": from, "afterAt": after?.at.milliseconds, "afterRun": after?.runID, "afterSeq": after?.seq,
                "limit": max(limit, 0),
            ]
            var events: [RunEvent] = []
            let rows = try Row.fetchCursor(try db.cachedStatement(sql: Self.namespaceEventsSQL), arguments: arguments)
            while let row = try rows.next() {
                let event = try row.withUnsafeData(atIndex: 1) { body in
                    try (body ?? Data()).withUnsafeBytes { bytes in try Event(storedUTF8: bytes) }
                }
                events.append(RunEvent(runID: row[0], event: event))
            }
            return events
        }
    }

    /// The query of ``namespaceEvents(since:after:limit:)``: the index `events_by_time` read
    /// from `:from` on, in its order.
    static let namespaceEventsSQL = """
        SELECT run_id, body FROM events
        WHERE namespace = :namespace AND at >= :from AND (:afterAt IS NULL OR (at, run_id, seq) > (:afterAt, :afterRun, :afterSeq))
        ORDER BY at, run_id, seq LIMIT :limit
        """

    public func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        precondition(events.isNumbered(after: expectedLastSeq), "appended events continue expectedLastSeq")
        let lastSeq = events.last?.seq ?? expectedLastSeq
        try await write { [self] db in
            // The seq check is the WHERE clause: the row changes only if no one appended since
            // the driver read it, and the write lock keeps anyone from appending until commit.
            try db.cachedStatement(sql: """
                UPDATE runs SET status = ?, output = ?, error = ?, current_step = ?, finished_at = ?, wake_at = ?,
                                last_seq = ?, needs_attention = 0,
                                lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END, lease_until = CASE WHEN ? THEN NULL ELSE lease_until END
                WHERE namespace = ? AND id = ? AND last_seq = ? AND (? IS NULL OR lease_owner IS ?)
                """).execute(arguments: [
                    update.status.rawValue, update.output?.compactJSON, update.error?.json.compactJSON, update.currentStep,
                    update.finishedAt?.milliseconds, update.wakeAt?.milliseconds, lastSeq, update.status.isFinished, update.status.isFinished,
                    namespace, runID, expectedLastSeq, leaseOwner, leaseOwner,
                ])
            guard db.changesCount == 1 else {
                let statement = try db.cachedStatement(sql: "SELECT lease_owner FROM runs WHERE namespace = ? AND id = ?")
                guard let row = try Row.fetchOne(statement, arguments: [namespace, runID]) else { throw StoreError.unknownRun(runID) }
                if let leaseOwner, row["lease_owner"] as String? != leaseOwner { throw StoreError.leaseLost(runID: runID) }
                throw StoreError.conflict(runID: runID, lastSeq: expectedLastSeq)
            }
            try insert(events, runID: runID, db)
        }
    }

    public func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        try await write { [self] db in
            // Taking the next seq and marking attention is one statement, so a driver that read
            // the history before it conflicts on its next append and reads this event first.
            let next = try db.cachedStatement(sql: """
                UPDATE runs SET last_seq = last_seq + 1, needs_attention = 1 WHERE namespace = ? AND id = ? AND status = 'running'
                RETURNING last_seq
                """)
            guard let seq = try Int.fetchOne(next, arguments: [namespace, runID]) else {
                let statement = try db.cachedStatement(sql: "SELECT 1 FROM runs WHERE namespace = ? AND id = ?")
                guard try Bool.fetchOne(statement, arguments: [namespace, runID]) != nil else { throw StoreError.unknownRun(runID) }
                throw StoreError.runFinished(runID)
            }
            let event = Event(seq: seq, at: at, kind: kind)
            try insert([event], runID: runID, db)
            return event
        }
    }

    /// Inserts events as their documented JSON, with seq, type and time beside it for queries.
    func insert(_ events: [Event], runID: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO events (namespace, run_id, seq, type, at, body) VALUES (?, ?, ?, ?, ?, ?)")
        for event in events {
            try statement.execute(arguments: [namespace, runID, event.seq, event.kind.type, event.at.milliseconds, event.json.compactJSON])
        }
    }
}
