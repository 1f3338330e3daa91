import ApexEngine
import Testing

extension RunStoreConformance {
    /// One behaviour every store must have. Pass it to a parameterized `@Test` and call
    /// ``run(on:)`` with a factory of fresh, empty stores.
    public struct Check: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the store does, as a sentence.
        public let name: String
        let body: @Sendable (any RunStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any RunStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check on a store from `makeStore`, which must be empty and migrated.
        public func run(on makeStore: () async throws -> any RunStore) async throws {
            try await body(try await makeStore())
        }

        public var description: String { name }
        public var testDescription: String { name }
    }
}
