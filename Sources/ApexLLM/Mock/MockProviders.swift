import ApexDSL
import Foundation

/// Mock providers for the fixtures runs recorded, parsed once per distinct fixtures and shared
/// by every call of those runs in this process.
final class MockProviders: @unchecked Sendable {
    // A lock, not an actor: the lookup is on every mock call's path and never waits.
    private let lock = NSLock()
    private var made: [JSONValue: MockLLMProvider] = [:]
    private let callLog: String?

    init(callLog: String?) {
        self.callLog = callLog
    }

    func provider(fixtures: JSONValue) throws -> MockLLMProvider {
        if let provider = lock.withLock({ made[fixtures] }) { return provider }
        let provider = MockLLMProvider(fixtures: try MockFixtures(json: fixtures), callLog: callLog)
        lock.withLock { made[fixtures] = provider }
        return provider
    }
}
