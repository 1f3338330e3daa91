import ApexEngine
import GRDB

extension SQLiteRunStore {
    public func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        precondition(events.isNumbered(after: 0), "a new run's events are numbered from 1")
        precondition(run.namespace == namespace, "a store creates runs in its own namespace")
        let lastSeq = events.last?.seq ?? 0
        return try await write { [self] db in
            // Inserting and seeing whether a row was written decides in one statement, under
            // the write lock, which of two processes starting the same id created it.
            try db.cachedStatement(sql: """
                INSERT INTO runs (id, namespace, task_queue, workflow, definition_hash, status, input, output, error, current_step,
                                  started_at, finished_at, parent_run_id, last_seq, wake_at, needs_attention)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (namespace, id) DO NOTHING
                """).execute(arguments: [
                    run.id, namespace, run.taskQueue, run.workflow, run.definitionHash, update.status.rawValue, run.input.compactJSON,
                    update.output?.compactJSON, update.error?.json.compactJSON, update.currentStep,
                    run.startedAt.milliseconds, update.finishedAt?.milliseconds, run.parentRunID, lastSeq,
                    update.wakeAt?.milliseconds,
                    // A new run needs a driver (a detached start leaves it to a worker).
                    update.status == .running ? 1 : 0,
                ])
            guard db.changesCount == 1 else {
                guard let existing = try fetchRun(id: run.id, db) else { throw StoreError.unknownRun(run.id) }
                return .existing(existing)
            }
            try insert(events, runID: run.id, db)
            return .created
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await read { db in try fetchRun(id: id, db) }
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        // The range of start times a run can have: bound parameters that are never NULL, so that
        // the index on (namespace, started_at DESC, id DESC) is read from the cursor (or the
        // upper end of the range) on, not from the newest run.
        let lowest = filter.startedAfter?.milliseconds ?? .min
        let highest = min(filter.startedBefore?.milliseconds ?? .max, filter.after?.startedAt.milliseconds ?? .max)
        return try await read { db in
            let arguments: StatementArguments = [
                "namespace": namespace, "status": filter.status?.rawValue, "workflow": filter.workflow, "parent": filter.parentRunID,
                "lowest": lowest, "highest": highest, "before": filter.startedBefore?.milliseconds,
                "afterAt": filter.after?.startedAt.milliseconds, "afterID": filter.after?.id, "limit": max(filter.limit, 0),
            ]
            return try Row.fetchAll(try db.cachedStatement(sql: Self.runsSQL), arguments: arguments).map(RunRecord.init(row:))
        }
    }

    /// The query of ``runs(_:)``. NULL filters match everything; one statement text keeps one
    /// cached statement. `:lowest` and `:highest` bound the start time (never NULL: the widest
    /// range when nothing limits it) for the index; the exact conditions follow them.
    static let runsSQL = """
        SELECT \(RunRecord.columns) FROM runs
        WHERE namespace = :namespace AND (:status IS NULL OR status = :status) AND (:workflow IS NULL OR workflow = :workflow)
              AND (:parent IS NULL OR parent_run_id = :parent)
              AND started_at >= :lowest AND started_at <= :highest AND (:before IS NULL OR started_at < :before)
              AND (:afterAt IS NULL OR started_at < :afterAt OR (started_at = :afterAt AND id < :afterID))
        ORDER BY started_at DESC, id DESC LIMIT :limit
        """

    public func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int] {
        try await read { db in
            let arguments: StatementArguments = [
                "namespace": namespace, "workflow": filter.workflow, "parent": filter.parentRunID,
                "lowest": filter.startedAfter?.milliseconds ?? .min, "highest": filter.startedBefore?.milliseconds ?? .max,
                "before": filter.startedBefore?.milliseconds,
            ]
            var counts: [RunStatus: Int] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: Self.runCountsSQL), arguments: arguments) {
                if let status = RunStatus(rawValue: row[0]) { counts[status] = row[1] }
            }
            return counts
        }
    }

    /// The query of ``runCounts(_:)``: the conditions of ``runsSQL`` but the status and cursor.
    static let runCountsSQL = """
        SELECT status, count(*) FROM runs
        WHERE namespace = :namespace AND (:workflow IS NULL OR workflow = :workflow) AND (:parent IS NULL OR parent_run_id = :parent)
              AND started_at >= :lowest AND started_at <= :highest AND (:before IS NULL OR started_at < :before)
        GROUP BY status
        """

    func fetchRun(id: String, _ db: Database) throws -> RunRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(RunRecord.columns) FROM runs WHERE namespace = ? AND id = ?")
        return try Row.fetchOne(statement, arguments: [namespace, id]).map(RunRecord.init(row:))
    }
}
