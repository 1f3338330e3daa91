import ApexDSL
import Foundation
import JWTKit

/// The claims of an Apex bearer token that the server reads (docs/security.md, "Claims").
///
/// jwt-kit calls ``verify(using:)`` right after the signature checks out; it does nothing
/// because the time and the configured issuer and audience are not known there. The server
/// calls ``check(now:issuer:audience:)`` instead.
struct AccessTokenClaims: JWTPayload {
    /// How far `exp` and `nbf` may be off: clocks of issuers and servers drift.
    static let leeway: TimeInterval = 30

    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    /// A string or an array of strings in the token (RFC 7519, section 4.1.3).
    var aud: AudienceClaim?
    var namespace: String?
    var scope: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Checks the time window and, when configured, the issuer and the audience.
    ///
    /// - Throws: ``AuthFailure`` saying which claim failed (not its value).
    func check(now: Date, issuer: String?, audience: String?) throws(AuthFailure) {
        // exp is required: a token that never expires can only be revoked by changing the key.
        guard let exp else { throw .invalid("the token has no expiration time (exp)") }
        do { try exp.verifyNotExpired(currentDate: now.addingTimeInterval(-Self.leeway)) } catch {
            throw .invalid("the token has expired")
        }
        if let nbf {
            do { try nbf.verifyNotBefore(currentDate: now.addingTimeInterval(Self.leeway)) } catch {
                throw .invalid("the token is not valid yet (nbf)")
            }
        }
        if let issuer, iss?.value != issuer { throw .invalid("the token's issuer (iss) is not the expected one") }
        if let audience {
            do { try (aud ?? AudienceClaim(value: [])).verifyIntendedAudience(includes: audience) } catch {
                throw .invalid("the token is not intended for this server (aud)")
            }
        }
    }

    /// The principal the claims describe.
    var principal: Principal {
        Principal(subject: sub?.value, namespace: namespace ?? Namespace.defaultName, scopes: Scope.granted(by: scope))
    }
}
