import ApexEngine
import GRDB

extension SQLiteRunStore {
    public func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow {
        try await write { [self] db in
            // The write lock keeps every other registration, of this process or another, out
            // until commit: looking for the hash and numbering the next version cannot race.
            let existing = try db.cachedStatement(sql: """
                SELECT name, version, hash, registered_at FROM workflow_versions WHERE namespace = ? AND name = ? AND hash = ?
                """)
            if let row = try Row.fetchOne(existing, arguments: [namespace, name, hash]) { return RegisteredWorkflow(row: row) }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO workflow_versions (namespace, name, version, hash, registered_at)
                SELECT ?1, ?2, coalesce(max(version), 0) + 1, ?3, ?4 FROM workflow_versions WHERE namespace = ?1 AND name = ?2
                RETURNING name, version, hash, registered_at
                """)
            guard let row = try Row.fetchOne(insert, arguments: [namespace, name, hash, at.milliseconds]) else {
                throw StoreError.unusable("registering \(name) wrote no row")
            }
            return RegisteredWorkflow(row: row)
        }
    }

    public func registeredWorkflows() async throws -> [RegisteredWorkflow] {
        try await read { db in
            // Each name's newest version, found on the primary key's index.
            let statement = try db.cachedStatement(sql: """
                SELECT name, version, hash, registered_at FROM workflow_versions AS registered
                WHERE namespace = ? AND version = (SELECT max(version) FROM workflow_versions
                                                   WHERE namespace = registered.namespace AND name = registered.name)
                ORDER BY name
                """)
            return try Row.fetchAll(statement, arguments: [namespace]).map(RegisteredWorkflow.init(row:))
        }
    }

    public func registeredVersions(name: String) async throws -> [RegisteredWorkflow] {
        try await read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT name, version, hash, registered_at FROM workflow_versions WHERE namespace = ? AND name = ? ORDER BY version DESC
                """)
            return try Row.fetchAll(statement, arguments: [namespace, name]).map(RegisteredWorkflow.init(row:))
        }
    }
}

extension RegisteredWorkflow {
    /// Reads a `workflow_versions` row selected as `name, version, hash, registered_at`.
    init(row: Row) {
        self.init(name: row["name"], version: row["version"], hash: row["hash"], registeredAt: Timestamp(milliseconds: row["registered_at"]))
    }
}
