import ApexEngine
import GRDB

extension SQLiteRunStore {
    public func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        precondition(events.isNumbered(after: 0), "a new run's events are numbered from 1")
        precondition(run.namespace == namespace, "a store creates runs in its own namespace")
        let lastSeq = events.last?.seq ?? 0
        return try await write { db in
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
        try await read { db in
            // NULL filters match everything; one statement text keeps one cached statement.
            let statement = try db.cachedStatement(sql: """
                SELECT \(RunRecord.columns) FROM runs
                WHERE namespace = :namespace AND (:status IS NULL OR status = :status) AND (:workflow IS NULL OR workflow = :workflow)
                      AND (:parent IS NULL OR parent_run_id = :parent)
                ORDER BY started_at DESC, id DESC LIMIT :limit
                """)
            let arguments: StatementArguments = [
                "namespace": namespace, "status": filter.status?.rawValue, "workflow": filter.workflow, "parent": filter.parentRunID,
                "limit": max(filter.limit, 0),
            ]
            return try Row.fetchAll(statement, arguments: arguments).map(RunRecord.init(row:))
        }
    }

    func fetchRun(id: String, _ db: Database) throws -> RunRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(RunRecord.columns) FROM runs WHERE namespace = ? AND id = ?")
        return try Row.fetchOne(statement, arguments: [namespace, id]).map(RunRecord.init(row:))
    }
}
