import ApexDSL
import Crypto

/// The signature of a webhook delivery (docs/security.md, "Signed webhooks"): what a sender
/// computes and ``WebhookVerifier`` recomputes, so both use this one function.
public enum WebhookSignature {
    public static let timestampHeader = "X-Apex-Timestamp"
    public static let deliveryHeader = "X-Apex-Delivery"
    public static let signatureHeader = "X-Apex-Signature-256"
    /// Webhook paths are `/v1/hooks/{namespace}/runs/{id}/signals/{name}`.
    public static let pathPrefix = "/v1/hooks/"

    /// `sha256=` and the lowercase hex HMAC-SHA256, under `secret` (its UTF-8 bytes), of
    /// `timestamp.delivery.METHOD.path.body`.
    ///
    /// - Parameters:
    ///   - timestamp: The `X-Apex-Timestamp` value: Unix seconds.
    ///   - delivery: The `X-Apex-Delivery` value: unique per delivery.
    ///   - method: The HTTP method, upper-cased here.
    ///   - path: The request target as sent: the path and the query string if any.
    ///   - body: The request body's bytes, exactly as sent.
    public static func sign(secret: String, timestamp: String, delivery: String, method: String, path: String,
                            body: some Collection<UInt8>) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        mac.update(data: Array("\(timestamp).\(delivery).\(method.uppercased()).\(path).".utf8))
        mac.update(data: Array(body))
        return "sha256=" + hex(mac.finalize())
    }

    /// The variable holding the secret of `namespace`: `APEX_WEBHOOK_SECRET` for `default`,
    /// else `APEX_WEBHOOK_SECRET_` and the name upper-cased with every character other than
    /// A-Z and 0-9 as `_` (`billing-eu` → `APEX_WEBHOOK_SECRET_BILLING_EU`).
    ///
    /// Names that differ only in case or in `.`, `-` and `_` share a variable (the signature
    /// still covers the path, so it names the namespace).
    public static func secretVariable(namespace: String) -> String {
        guard namespace != Namespace.defaultName else { return "APEX_WEBHOOK_SECRET" }
        let name = namespace.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "0"..."9": Character(scalar)
            case "a"..."z": Character(Unicode.Scalar(UInt8(scalar.value - 32)))
            default: "_"
            }
        }
        return "APEX_WEBHOOK_SECRET_" + String(name)
    }

    /// The namespace segment of a webhook path (`/v1/hooks/{namespace}/…`), or nil for
    /// another path.
    public static func namespace(inPath path: String) -> String? {
        guard path.hasPrefix(pathPrefix) else { return nil }
        let segment = path.dropFirst(pathPrefix.count).prefix { $0 != "/" && $0 != "?" }
        return segment.isEmpty ? nil : String(segment)
    }

    /// Whether `delivery` may be an `X-Apex-Delivery` value: 1 to 128 letters, digits, `-` and
    /// `_` (a UUID or a ULID is one). No `.`, so the signed string splits one way only.
    public static func isValidDelivery(_ delivery: String) -> Bool {
        (1...128).contains(delivery.utf8.count) && delivery.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-", "_": true
            default: false
            }
        }
    }

    /// Whether `a` and `b` are equal, in a time that depends on their lengths only.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
