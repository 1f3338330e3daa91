import ApexEngine
import Foundation
import PostgresNIO

extension PostgresRunStore {
    public func saveDefinition(_ definition: StoredDefinition) async throws {
        let createdAt = Timestamp(Date()).milliseconds
        try await withRetry { connection, _ in
            // A hash names its content: the first save wins and later ones change nothing (so a
            // retried save is harmless too).
            _ = try await connection.rows("""
                INSERT INTO definitions (hash, workflow, source, path, created_at)
                VALUES (\(definition.hash), \(definition.workflow), \(definition.source), \(definition.path), \(createdAt))
                ON CONFLICT (hash) DO NOTHING
                """, logger: self.driverLogger)
        }
    }

    public func definition(hash: String) async throws -> StoredDefinition? {
        try await withRetry { connection, _ in
            let rows = try await connection.query(
                "SELECT hash, workflow, source, path FROM definitions WHERE hash = \(hash)", logger: self.driverLogger).collect()
            return try rows.first.map { row in
                let (hash, workflow, source, path) = try row.decode((String, String, String, String).self)
                return StoredDefinition(hash: hash, workflow: workflow, source: source, path: path)
            }
        }
    }
}
