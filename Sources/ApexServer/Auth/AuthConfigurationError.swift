/// Why the authentication settings cannot be used; `apex serve` refuses to start with it.
///
/// Messages name the variable and, for files, the path, but never a secret's value.
public struct AuthConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable at fault, e.g. `APEX_JWT_PUBLIC_KEY`.
    public var variable: String
    /// The whole message, e.g. `APEX_JWT_SECRET is 12 bytes long; it must be at least 32 …`.
    public var description: String

    init(_ variable: String, _ problem: String) {
        self.variable = variable
        description = "\(variable) \(problem)"
    }
}

/// The rule for HMAC secrets (`APEX_JWT_SECRET`, `APEX_WEBHOOK_SECRET*`): at least 32 bytes.
///
/// A signed token or request is an offline oracle for its secret: whoever sees one can try
/// guesses at their own pace. 32 bytes (256 bits, the output size of SHA-256, RFC 7518 section
/// 3.2) of randomness put that out of reach; `openssl rand -hex 32` makes one.
public enum SharedSecret {
    public static let minimumBytes = 32

    /// Checks `value` of `variable` against the rule.
    ///
    /// - Throws: ``AuthConfigurationError`` naming the variable and the length, not the value.
    public static func check(_ value: String, variable: String) throws(AuthConfigurationError) {
        let length = value.utf8.count
        guard length < minimumBytes else { return }
        let problem = length == 0 ? "is set but empty" : "is \(length) bytes long"
        throw AuthConfigurationError(variable, "\(problem); a secret must be at least \(minimumBytes) bytes "
                                     + "(e.g. the output of `openssl rand -hex 32`)")
    }
}
