import Hummingbird

/// Why a webhook delivery is refused: 401, except 503 when the replay memory is full.
public struct WebhookFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// A header is missing or empty.
        case missingHeader
        /// The namespace has no secret configured.
        case noSecret
        /// The timestamp is not Unix seconds, or outside the window.
        case badTimestamp
        /// The delivery id has characters other than letters, digits, `-` and `_`, or is too long.
        case badDelivery
        /// The signature is not `sha256=<hex>` of the request under the namespace's secret.
        case badSignature
        /// The delivery id was accepted before, within the window.
        case replayed
        /// The replay memory is full of unexpired deliveries: try again later.
        case replayMemoryFull
    }

    public var reason: Reason
    /// The problem's detail; it never contains a secret or the expected signature.
    public var description: String

    /// 401 Unauthorized, or 503 Service Unavailable for ``Reason/replayMemoryFull``.
    public var status: HTTPResponse.Status { reason == .replayMemoryFull ? .serviceUnavailable : .unauthorized }

    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }
}
