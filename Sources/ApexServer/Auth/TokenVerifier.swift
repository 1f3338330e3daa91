import Foundation
import JWTKit

/// Verifies bearer tokens against the configured keys, issuer and audience.
struct TokenVerifier: Sendable {
    var keys: [VerificationKey]
    /// `APEX_JWT_ISSUER`: the `iss` every token must have.
    var issuer: String?
    /// `APEX_JWT_AUDIENCE`: a value the token's `aud` must hold.
    var audience: String?

    /// The algorithms of the configured keys: the only ones accepted.
    var algorithms: [TokenAlgorithm] { Set(keys.map(\.algorithm)).sorted() }

    /// The principal of a valid token.
    ///
    /// The token's `alg` only selects among the configured keys of that algorithm; `none`, and
    /// any algorithm without a configured key, is refused before a key is tried. So an HS256
    /// token signed with a public key's PEM as the secret fails on a server with that public key,
    /// and an RS256 token fails on a server with only a secret (RFC 8725, section 2.1).
    ///
    /// - Throws: ``AuthFailure`` saying what is wrong.
    func verify(_ token: String, now: Date) async throws(AuthFailure) -> Principal {
        let header = try TokenHeader(token: token)
        let accepted = algorithms.map(\.rawValue).joined(separator: ", ")
        guard let algorithm = TokenAlgorithm(rawValue: header.algorithm), algorithms.contains(algorithm) else {
            throw .invalid("the token's algorithm \(header.algorithm.prefix(20)) is not accepted; this server accepts \(accepted)")
        }
        let candidates = keys.candidates(for: algorithm, keyID: header.keyID)
        guard !candidates.isEmpty else { throw .invalid("no key of this server has the token's key id (kid)") }
        var failure = AuthFailure.invalid("the token's signature does not verify")
        for key in candidates {
            let claims: AccessTokenClaims
            do {
                claims = try await key.collection.verify(token, as: AccessTokenClaims.self)
            } catch let error as JWTError where error.errorType == .malformedToken {
                // The signature checked out before the claims were decoded.
                failure = .invalid("the token's claims cannot be read (exp and nbf are numbers, namespace and scope strings)")
                continue
            } catch {
                continue
            }
            try claims.check(now: now, issuer: issuer, audience: audience)
            return claims.principal
        }
        throw failure
    }
}
