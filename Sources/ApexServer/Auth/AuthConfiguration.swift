import Foundation

/// The security settings of `apex serve`, read once at start from the environment
/// (docs/security.md): bearer tokens for the API, and the secrets of signed webhooks.
///
/// ## Usage
///
/// ```swift
/// let auth = try await AuthConfiguration.fromEnvironment(settings.environment)
/// switch await auth.authenticate(bearer: token) {
/// case .success(let principal):
///     if let denied = principal.check(namespace: namespace, scope: .runsWrite) { … 403 … }
/// case .failure(let failure): … 401 with failure.wwwAuthenticate …
/// }
/// ```
public struct AuthConfiguration: Sendable, CustomStringConvertible {
    /// The variables that configure a JWT key: authentication is on when one is set.
    public static let keyVariables = ["APEX_JWT_SECRET", "APEX_JWT_PUBLIC_KEY", "APEX_JWT_JWKS"]

    /// nil when authentication is off.
    let tokens: TokenVerifier?

    /// The verifier of signed webhooks, which does not depend on ``isEnabled``.
    public let webhooks: WebhookVerifier

    /// Reads `APEX_JWT_SECRET`, `APEX_JWT_PUBLIC_KEY`, `APEX_JWT_JWKS`, `APEX_JWT_ISSUER`,
    /// `APEX_JWT_AUDIENCE` and the `APEX_WEBHOOK_SECRET*` variables, and the files they name.
    ///
    /// - Parameter environment: The environment (with `.env` merged in, as the CLI reads it).
    /// - Throws: ``AuthConfigurationError``: an unreadable file, a bad key, a secret shorter than
    ///   ``SharedSecret/minimumBytes``, an empty variable, or an issuer or audience without a key.
    public static func fromEnvironment(_ environment: [String: String]) async throws -> AuthConfiguration {
        let keys = try await VerificationKeyLoader.keys(from: environment)
        let issuer = try claimValue("APEX_JWT_ISSUER", environment, hasKeys: !keys.isEmpty)
        let audience = try claimValue("APEX_JWT_AUDIENCE", environment, hasKeys: !keys.isEmpty)
        return AuthConfiguration(tokens: keys.isEmpty ? nil : TokenVerifier(keys: keys, issuer: issuer, audience: audience),
                                 webhooks: try WebhookVerifier(environment: environment))
    }

    /// Whether requests need a bearer token: a JWT key is configured.
    public var isEnabled: Bool { tokens != nil }

    /// Who sent the bearer token `token`.
    ///
    /// - Parameters:
    ///   - token: The token without the `Bearer ` prefix; nil when the request has none.
    ///   - now: The time to check `exp` and `nbf` against.
    /// - Returns: The principal (``Principal/unrestricted`` when authentication is off), or the
    ///   401 to answer.
    public func authenticate(bearer token: String?, now: Date = Date()) async -> Result<Principal, AuthFailure> {
        guard let tokens else { return .success(.unrestricted) }
        guard let token, !token.isEmpty else { return .failure(.missing) }
        do { return .success(try await tokens.verify(token, now: now)) } catch { return .failure(error) }
    }

    /// One line for the server's start-up log, without secrets.
    public var description: String {
        guard let tokens else { return "authentication off (none of \(Self.keyVariables.joined(separator: ", ")) is set)" }
        var text = "authentication on: \(tokens.algorithms.map(\.rawValue).joined(separator: ", ")) (\(tokens.keys.count) key"
            + (tokens.keys.count == 1 ? ")" : "s)")
        if let issuer = tokens.issuer { text += ", issuer \(issuer)" }
        if let audience = tokens.audience { text += ", audience \(audience)" }
        return text
    }

    private static func claimValue(_ variable: String, _ environment: [String: String], hasKeys: Bool) throws -> String? {
        guard let value = environment[variable] else { return nil }
        guard !value.isEmpty else { throw AuthConfigurationError(variable, "is set but empty") }
        guard hasKeys else {
            throw AuthConfigurationError(variable, "is set but no JWT key is, so authentication would be off; "
                                         + "set one of \(keyVariables.joined(separator: ", "))")
        }
        return value
    }
}
