import ApexEngine
import PostgresNIO

extension PostgresRunStore {
    /// The class of the advisory locks that registrations of one name take in turn ("apex" in
    /// ASCII; the second key is a hash of the namespace and name). Two-key locks never meet
    /// the migrations' one-key lock.
    static let registryLockClass: Int32 = 0x6170_6578

    public func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow {
        try await inTransaction { connection, _ in
            // Registrations of one name (in any process) take turns until commit: each reads the
            // versions its predecessor committed (every statement of READ COMMITTED reads the
            // newest commits), so the same hash gets one version and different ones distinct
            // versions. A hash collision of two names only makes them take turns too. A retried
            // attempt whose first COMMIT went through finds its hash registered.
            _ = try await connection.rows(
                "SELECT pg_advisory_xact_lock(\(Self.registryLockClass), hashtext(\(self.namespace) || '/' || \(name)))",
                logger: self.driverLogger)
            let existing = try await connection.rows("""
                SELECT name, version, hash, registered_at FROM workflow_versions
                WHERE namespace = \(self.namespace) AND name = \(name) AND hash = \(hash)
                """, logger: self.driverLogger)
            if let row = existing.first { return try RegisteredWorkflow(row: row) }
            let inserted = try await connection.rows("""
                INSERT INTO workflow_versions (namespace, name, version, hash, registered_at)
                SELECT \(self.namespace), \(name), coalesce(max(version), 0) + 1, \(hash), \(at.milliseconds) FROM workflow_versions
                WHERE namespace = \(self.namespace) AND name = \(name)
                RETURNING name, version, hash, registered_at
                """, logger: self.driverLogger)
            guard let row = inserted.first else { throw StoreError.unusable("registering \(name) wrote no row") }
            return try RegisteredWorkflow(row: row)
        }
    }

    public func registeredWorkflows() async throws -> [RegisteredWorkflow] {
        try await withRetry { connection, _ in
            // Each name's newest version, found on the primary key's index; names by code point.
            try await connection.rows("""
                SELECT name, version, hash, registered_at FROM workflow_versions AS registered
                WHERE namespace = \(self.namespace) AND version = (SELECT max(version) FROM workflow_versions
                                                                   WHERE namespace = registered.namespace AND name = registered.name)
                ORDER BY name COLLATE "C"
                """, logger: self.driverLogger).map(RegisteredWorkflow.init(row:))
        }
    }

    public func registeredVersions(name: String) async throws -> [RegisteredWorkflow] {
        try await withRetry { connection, _ in
            try await connection.rows("""
                SELECT name, version, hash, registered_at FROM workflow_versions WHERE namespace = \(self.namespace) AND name = \(name)
                ORDER BY version DESC
                """, logger: self.driverLogger).map(RegisteredWorkflow.init(row:))
        }
    }
}

extension RegisteredWorkflow {
    /// Reads a `workflow_versions` row selected as `name, version, hash, registered_at`.
    init(row: PostgresRow) throws {
        let (name, version, hash, registeredAt) = try row.decode((String, Int, String, Int64).self)
        self.init(name: name, version: version, hash: hash, registeredAt: Timestamp(milliseconds: registeredAt))
    }
}
