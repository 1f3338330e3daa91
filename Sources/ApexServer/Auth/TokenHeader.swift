import Foundation

/// The algorithms a server accepts, each only when a key of its kind is configured.
enum TokenAlgorithm: String, Sendable, Comparable {
    case hs256 = "HS256"
    case rs256 = "RS256"
    case es256 = "ES256"

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The JOSE header of a compact JWT, read before any key is tried, so that the server picks
/// keys by the algorithm it allows rather than letting the token pick (RFC 8725, section 3.1).
struct TokenHeader: Sendable {
    var algorithm: String
    var keyID: String?

    private struct Fields: Decodable {
        var alg: String?
        var kid: String?
        var crit: [String]?
    }

    /// Reads the header of `token` (three base64url parts separated by dots).
    ///
    /// - Throws: ``AuthFailure`` for a token that is not a JWS, has no `alg`, or lists critical
    ///   extensions (RFC 7515, section 4.1.11: none is understood here).
    init(token: String) throws(AuthFailure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let json = Base64URL.decode(parts[0]),
              let fields = try? JSONDecoder().decode(Fields.self, from: json)
        else { throw .invalid("the token is not a JWT (header.payload.signature in base64url)") }
        guard let alg = fields.alg else { throw .invalid("the token's header has no alg") }
        guard fields.crit == nil else { throw .invalid("the token's header lists critical extensions (crit), which are not supported") }
        algorithm = alg
        keyID = fields.kid
    }
}
