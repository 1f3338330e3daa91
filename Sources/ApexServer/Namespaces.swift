import ApexEngine
import Foundation

/// The engine of each namespace the server has been asked about: one store view and one
/// engine per namespace, made on first use and kept. The worker's engine is the one of its
/// own namespace, so that runs started through the API are claimed by it at once and their
/// commits reach the streams without a poll.
public actor Namespaces {
    public typealias EngineMaker = @Sendable (_ namespace: String) async throws -> Engine

    private let make: EngineMaker
    private var engines: [String: Engine] = [:]
    private var making: [String: Task<Engine, Error>] = [:]

    public init(seeded: [Engine] = [], make: @escaping EngineMaker) {
        self.make = make
        for engine in seeded { engines[engine.store.namespace] = engine }
    }

    public func engine(_ namespace: String) async throws -> Engine {
        if let engine = engines[namespace] { return engine }
        if let pending = making[namespace] { return try await pending.value }
        let task = Task { [make] in try await make(namespace) }
        making[namespace] = task
        defer { making[namespace] = nil }
        let engine = try await task.value
        engines[namespace] = engine
        return engine
    }

}
