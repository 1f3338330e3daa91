import Foundation

/// Checks signed webhook deliveries (docs/security.md, "Signed webhooks"): the headers, the
/// namespace's secret, the timestamp window, the signature (in constant time) and the replay
/// memory, in that order, so unsigned requests never reach the memory.
public struct WebhookVerifier: Sendable {
    /// How far `X-Apex-Timestamp` may be from the server's time, either way.
    public static let window: TimeInterval = 300
    /// How much longer than the window a delivery id is remembered, for clock steps.
    public static let memoryMargin: TimeInterval = 60
    /// How many delivery ids the replay memory holds at most (docs/security.md, "Replays").
    public static let defaultReplayCapacity = 100_000

    /// The secrets by variable name (`APEX_WEBHOOK_SECRET`, `APEX_WEBHOOK_SECRET_<NS>`).
    private let secrets: [String: String]
    private let deliveries: DeliveryMemory

    /// Reads `APEX_WEBHOOK_SECRET` and every `APEX_WEBHOOK_SECRET_<NS>` of `environment`.
    ///
    /// - Parameter replayCapacity: How many delivery ids the replay memory holds at most.
    /// - Throws: ``AuthConfigurationError`` for a secret shorter than ``SharedSecret/minimumBytes``.
    public init(environment: [String: String], replayCapacity: Int = defaultReplayCapacity) throws(AuthConfigurationError) {
        let configured = environment.filter { $0.key == "APEX_WEBHOOK_SECRET" || $0.key.hasPrefix("APEX_WEBHOOK_SECRET_") }
        for (variable, secret) in configured.sorted(by: { $0.key < $1.key }) { try SharedSecret.check(secret, variable: variable) }
        secrets = configured
        deliveries = DeliveryMemory(capacity: replayCapacity)
    }

    /// The variables that hold a secret, sorted (for the start-up log).
    public var secretVariables: [String] { secrets.keys.sorted() }

    /// How many delivery ids the replay memory holds now (for a metric).
    public var rememberedDeliveries: Int { get async { await deliveries.count } }

    /// Checks one delivery to `path` of `namespace`.
    ///
    /// - Parameters:
    ///   - path: The request target as sent, with its query string.
    ///   - body: The body's bytes as received.
    ///   - timestamp, delivery, signature: The `X-Apex-*` header values, nil when absent.
    /// - Returns: nil when the delivery is accepted (and now remembered); otherwise why not.
    public func verify(namespace: String, method: String, path: String, body: some Collection<UInt8>,
                       timestamp: String?, delivery: String?, signature: String?, now: Date = Date()) async -> WebhookFailure? {
        let headers = [(WebhookSignature.timestampHeader, timestamp), (WebhookSignature.deliveryHeader, delivery),
                       (WebhookSignature.signatureHeader, signature)]
        let missing = headers.filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let timestamp, let delivery, let signature else {
            return WebhookFailure(.missingHeader, "a signed webhook needs \(missing.joined(separator: ", "))")
        }
        let variable = WebhookSignature.secretVariable(namespace: namespace)
        guard let secret = secrets[variable] else {
            return WebhookFailure(.noSecret, "namespace \"\(namespace)\" takes no webhooks: \(variable) is not set on the server")
        }
        guard timestamp.count <= 12, timestamp.allSatisfy(\.isASCIIDigit), let seconds = Int(timestamp) else {
            return WebhookFailure(.badTimestamp, "\(WebhookSignature.timestampHeader) must be Unix seconds")
        }
        let sent = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard abs(sent.timeIntervalSince(now)) <= Self.window else {
            return WebhookFailure(.badTimestamp, "\(WebhookSignature.timestampHeader) is more than \(Int(Self.window)) s "
                                  + "from the server's time (\(Int(now.timeIntervalSince1970)))")
        }
        guard WebhookSignature.isValidDelivery(delivery) else {
            return WebhookFailure(.badDelivery, "\(WebhookSignature.deliveryHeader) must be 1 to 128 letters, digits, '-' or '_'")
        }
        let expected = WebhookSignature.sign(secret: secret, timestamp: timestamp, delivery: delivery, method: method,
                                             path: path, body: body)
        guard WebhookSignature.constantTimeEquals(expected, signature.lowercased()) else {
            return WebhookFailure(.badSignature, "\(WebhookSignature.signatureHeader) does not match the request")
        }
        switch await deliveries.remember(namespace: namespace, delivery: delivery,
                                         until: sent.addingTimeInterval(Self.window + Self.memoryMargin), now: now) {
        case .new: return nil
        case .replayed: return WebhookFailure(.replayed, "delivery \(delivery) was received before")
        case .full: return WebhookFailure(.replayMemoryFull, "too many deliveries in the last \(Int(Self.window)) s; try again later")
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
