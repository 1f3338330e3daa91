import ApexServer
import Foundation
import JWTKit
import Testing

/// Bearer tokens on a server configured with `APEX_JWT_SECRET` (HS256): signature, time window,
/// issuer and audience.
@Suite struct AuthTokenTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func configuration(_ extra: [String: String] = [:]) async throws -> AuthConfiguration {
        try await AuthConfiguration.fromEnvironment(extra.merging(["APEX_JWT_SECRET": TestKeys.secret]) { old, _ in old })
    }

    func authenticate(_ token: String?, _ extra: [String: String] = [:]) async throws -> Result<Principal, AuthFailure> {
        try await configuration(extra).authenticate(bearer: token, now: now)
    }

    /// A token signed with the test secret over exactly `payload`.
    func handSigned(_ payload: String) -> String {
        HandToken.hs256(payload: payload, key: Array(TestKeys.secret.utf8))
    }

    func expectInvalid(_ result: Result<Principal, AuthFailure>, _ fragment: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .failure(let failure) = result else {
            Issue.record("accepted, expected a failure with \"\(fragment)\"", sourceLocation: sourceLocation)
            return
        }
        #expect(failure.description.contains(fragment), sourceLocation: sourceLocation)
        #expect(failure.wwwAuthenticate.hasPrefix(#"Bearer error="invalid_token", error_description=""#), sourceLocation: sourceLocation)
    }

    @Test func aValidHS256TokenGivesItsPrincipal() async throws {
        let token = try await TestIssuer.hs256().token(.valid(at: now))
        let principal = try await authenticate(token).get()
        #expect(principal == Principal(subject: "tester", namespace: "default", scopes: [.runsRead]))
    }

    @Test func aTokenExpiredBeyondTheLeewayIsRefused() async throws {
        let token = try await TestIssuer.hs256().token(TestClaims(exp: ExpirationClaim(value: now.addingTimeInterval(-31))))
        expectInvalid(try await authenticate(token), "the token has expired")
    }

    @Test func aTokenExpiredWithinTheLeewayIsAccepted() async throws {
        let token = try await TestIssuer.hs256().token(TestClaims(exp: ExpirationClaim(value: now.addingTimeInterval(-29))))
        _ = try await authenticate(token).get()
    }

    @Test func aTokenWithoutAnExpirationIsRefused() async throws {
        expectInvalid(try await authenticate(handSigned(#"{"sub":"forever"}"#)), "no expiration time (exp)")
    }

    @Test func aTokenNotValidYetIsRefusedBeyondTheLeeway() async throws {
        var claims = TestClaims.valid(at: now)
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(60))
        expectInvalid(try await authenticate(try await TestIssuer.hs256().token(claims)), "not valid yet (nbf)")
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(20))
        _ = try await authenticate(try await TestIssuer.hs256().token(claims)).get()
    }

    @Test func theAudienceMustBeTheConfiguredOneAsAStringOrInAnArray() async throws {
        let exp = Int(now.timeIntervalSince1970) + 600
        let audience = ["APEX_JWT_AUDIENCE": "apex-api"]
        _ = try await authenticate(handSigned(#"{"exp":\#(exp),"aud":"apex-api"}"#), audience).get()
        _ = try await authenticate(handSigned(#"{"exp":\#(exp),"aud":["other","apex-api"]}"#), audience).get()
        expectInvalid(try await authenticate(handSigned(#"{"exp":\#(exp),"aud":"other-api"}"#), audience), "not intended for this server (aud)")
        expectInvalid(try await authenticate(handSigned(#"{"exp":\#(exp),"aud":["a","b"]}"#), audience), "(aud)")
        expectInvalid(try await authenticate(handSigned(#"{"exp":\#(exp)}"#), audience), "(aud)")
        // Without APEX_JWT_AUDIENCE, aud is not looked at.
        _ = try await authenticate(handSigned(#"{"exp":\#(exp),"aud":"other-api"}"#)).get()
    }

    @Test func theIssuerMustBeTheConfiguredOne() async throws {
        let issuer = ["APEX_JWT_ISSUER": "https://id.example.com"]
        var claims = TestClaims.valid(at: now)
        claims.iss = "https://id.example.com"
        _ = try await authenticate(try await TestIssuer.hs256().token(claims), issuer).get()
        claims.iss = "https://evil.example.com"
        expectInvalid(try await authenticate(try await TestIssuer.hs256().token(claims), issuer), "issuer (iss)")
        claims.iss = nil
        expectInvalid(try await authenticate(try await TestIssuer.hs256().token(claims), issuer), "issuer (iss)")
    }

    @Test func aBadSignatureIsRefused() async throws {
        let otherSecret = try await TestIssuer.hs256("another-secret-0123456789abcdef0123456789").token(.valid(at: now))
        expectInvalid(try await authenticate(otherSecret), "signature does not verify")

        // The payload changed after signing (a namespace added).
        let token = try await TestIssuer.hs256().token(.valid(at: now))
        let parts = token.split(separator: ".").map(String.init)
        let exp = Int(now.timeIntervalSince1970) + 3600
        let forged = parts[0] + "." + HandToken.base64URL(Array(#"{"sub":"tester","exp":\#(exp),"namespace":"billing"}"#.utf8)) + "." + parts[2]
        expectInvalid(try await authenticate(forged), "signature does not verify")
    }

    @Test(arguments: [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"NONE"}"#, #"{"typ":"JWT"}"#])
    func unsignedTokensAreRefused(header: String) async throws {
        let exp = Int(now.timeIntervalSince1970) + 600
        let token = HandToken.make(header: header, payload: #"{"exp":\#(exp),"scope":"runs:write"}"#, signature: [])
        expectInvalid(try await authenticate(token), header.contains("alg") ? "is not accepted; this server accepts HS256" : "has no alg")
    }

    @Test func anotherHMACAlgorithmIsRefusedEvenWithTheRightSecret() async throws {
        let token = HandToken.hs256(payload: #"{"exp":\#(Int(now.timeIntervalSince1970) + 600)}"#, key: Array(TestKeys.secret.utf8),
                                    header: #"{"alg":"HS512"}"#)
        expectInvalid(try await authenticate(token), "algorithm HS512 is not accepted")
    }

    @Test func aTokenWithCriticalExtensionsIsRefused() async throws {
        let token = HandToken.hs256(payload: #"{"exp":\#(Int(now.timeIntervalSince1970) + 600)}"#, key: Array(TestKeys.secret.utf8),
                                    header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#)
        expectInvalid(try await authenticate(token), "critical extensions")
    }

    @Test(arguments: ["", "not-a-token", "a.b", "a.b.c.d", "!!!.e30.", "e30.e30.e30"])
    func malformedTokensAreInvalid(token: String) async throws {
        let result = try await authenticate(token)
        if token.isEmpty {
            #expect(result == .failure(.missing))
        } else {
            expectInvalid(result, token == "e30.e30.e30" ? "has no alg" : "is not a JWT")
        }
    }

    @Test func aMissingTokenIsA401WithAPlainBearerChallenge() async throws {
        let result = try await authenticate(nil)
        #expect(result == .failure(.missing))
        #expect(AuthFailure.missing.wwwAuthenticate == "Bearer")
    }

    @Test func claimsOfTheWrongTypeAreInvalid() async throws {
        let exp = Int(now.timeIntervalSince1970) + 600
        expectInvalid(try await authenticate(handSigned(#"{"exp":"tomorrow"}"#)), "claims cannot be read")
        expectInvalid(try await authenticate(handSigned(#"{"exp":\#(exp),"scope":["runs:write"]}"#)), "claims cannot be read")
    }
}
