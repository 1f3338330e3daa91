import Foundation

/// The base URLs, for the life of the process, whose server refused `max_completion_tokens`
/// and is sent `max_tokens` instead.
final class LegacyMaxTokensServers: @unchecked Sendable {
    static let shared = LegacyMaxTokensServers()

    // A lock, not an actor: two lookups per call do not need a suspension point.
    private let lock = NSLock()
    private var baseURLs: Set<String> = []

    func contains(_ baseURL: String) -> Bool { lock.withLock { baseURLs.contains(baseURL) } }

    func insert(_ baseURL: String) { _ = lock.withLock { baseURLs.insert(baseURL) } }
}
