import ApexEngine
import Testing

extension RunStoreConformance {
    /// Opens a namespace's store on the database of one check.
    public typealias Opener = @Sendable (_ namespace: String) async throws -> any RunStore

    /// One behaviour every store must have. Pass it to a parameterized `@Test` and call
    /// ``run(on:)`` with an opener of one fresh, empty, migrated database.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the store does, as a sentence.
        public let name: String
        let body: @Sendable (Opener) async throws -> Void

        /// A check on the default namespace's store.
        init(_ name: String, _ body: @escaping @Sendable (any RunStore) async throws -> Void) {
            self.init(name, opening: { open in try await body(try await open("default")) })
        }

        /// A check that opens several namespaces of the database.
        init(_ name: String, opening body: @escaping @Sendable (Opener) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check. `open` opens the store of a namespace, always on the same database,
        /// which must be empty and migrated the first time.
        public func run(on open: @escaping Opener) async throws {
            try await body(open)
        }

        public var description: String { name }
        public var testDescription: String { name }
    }
}
