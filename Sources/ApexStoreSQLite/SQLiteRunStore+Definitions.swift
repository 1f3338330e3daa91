import ApexEngine
import Foundation
import GRDB

extension SQLiteRunStore {
    public func saveDefinition(_ definition: StoredDefinition) async throws {
        let createdAt = Timestamp(Date()).milliseconds
        try await write { db in
            // A hash names its content: the first save wins and later ones change nothing.
            try db.cachedStatement(sql: """
                INSERT INTO definitions (hash, workflow, source, path, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (hash) DO NOTHING
                """).execute(arguments: [definition.hash, definition.workflow, definition.source, definition.path, createdAt])
        }
    }

    public func definition(hash: String) async throws -> StoredDefinition? {
        try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT hash, workflow, source, path FROM definitions WHERE hash = ?")
            return try Row.fetchOne(statement, arguments: [hash]).map { row in
                StoredDefinition(hash: row["hash"], workflow: row["workflow"], source: row["source"], path: row["path"])
            }
        }
    }
}
