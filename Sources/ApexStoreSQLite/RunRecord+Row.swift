import ApexDSL
import ApexEngine
import GRDB

extension RunRecord {
    /// The columns ``init(row:)`` reads, in a `SELECT`.
    static let columns = """
        id, namespace, task_queue, workflow, definition_hash, status, input, output, error, current_step,
        started_at, finished_at, parent_run_id, last_seq
        """

    /// Reads a `runs` row selected with ``columns``.
    init(row: Row) throws {
        let id: String = row["id"]
        let statusText: String = row["status"]
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError.unusable("run \(id) has an unknown status \"\(statusText)\" (written by a newer apex?)")
        }
        self.init(
            id: id, namespace: row["namespace"], taskQueue: row["task_queue"], workflow: row["workflow"], definitionHash: row["definition_hash"],
            status: status, input: try Self.json(row["input"], column: "input", run: id),
            output: try (row["output"] as String?).map { try Self.json($0, column: "output", run: id) },
            error: try (row["error"] as String?).map { try RunError(json: Self.json($0, column: "error", run: id)) },
            currentStep: row["current_step"], startedAt: Timestamp(milliseconds: row["started_at"]),
            finishedAt: (row["finished_at"] as Int64?).map(Timestamp.init(milliseconds:)),
            parentRunID: row["parent_run_id"], lastSeq: row["last_seq"])
    }

    private static func json(_ text: String, column: String, run: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw StoreError.unusable("run \(run) has an unreadable \(column): \(error)")
        }
    }
}
