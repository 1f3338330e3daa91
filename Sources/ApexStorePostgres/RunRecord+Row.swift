import ApexDSL
import ApexEngine
import PostgresNIO

extension RunRecord {
    /// The columns ``init(row:)`` reads, in a `SELECT`, in this order.
    static let columns = """
        id, namespace, task_queue, workflow, definition_hash, status, input, output, error, current_step,
        started_at, finished_at, parent_run_id, last_seq
        """

    /// Reads a `runs` row selected with ``columns``.
    init(row: PostgresRow) throws {
        let (id, namespace, taskQueue, workflow, definitionHash, statusText, input, output, error, currentStep,
             startedAt, finishedAt, parentRunID, lastSeq) = try row.decode(
                (String, String, String, String, String, String, String, String?, String?, String?,
                 Int64, Int64?, String?, Int).self)
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError.unusable("run \(id) has an unknown status \"\(statusText)\" (written by a newer apex?)")
        }
        self.init(
            id: id, namespace: namespace, taskQueue: taskQueue, workflow: workflow, definitionHash: definitionHash, status: status,
            input: try Self.json(input, column: "input", run: id),
            output: try output.map { try Self.json($0, column: "output", run: id) },
            error: try error.map { try RunError(json: Self.json($0, column: "error", run: id)) },
            currentStep: currentStep, startedAt: Timestamp(milliseconds: startedAt),
            finishedAt: finishedAt.map(Timestamp.init(milliseconds:)), parentRunID: parentRunID, lastSeq: lastSeq)
    }

    private static func json(_ text: String, column: String, run: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw StoreError.unusable("run \(run) has an unreadable \(column): \(error)")
        }
    }
}

extension Array where Element == PostgresRow {
    func runRecords() throws -> [RunRecord] { try map(RunRecord.init(row:)) }
}
