import ApexEngine
import PostgresNIO

extension PostgresRunStore {
    /// The channel every store notifies and listens on; payloads name their namespace:
    /// `namespace<TAB>kind<TAB>taskQueue<TAB>runID` (namespaces and queues hold no tab).
    static let changesChannel = "apex_changes"

    /// Tells the listeners of a change, in the transaction of `connection`: they hear of it
    /// when it commits, and never if it rolls back.
    func notify(_ kind: StoreChange.Kind, taskQueue: String, runID: String, _ connection: PostgresConnection) async throws {
        let payload = "\(namespace)\t\(kind.rawValue)\t\(taskQueue)\t\(runID)"
        try await connection.query("SELECT pg_notify(\(Self.changesChannel), \(payload))", logger: driverLogger)
    }
}
