import ApexServer
import Foundation
import JWTKit
import Testing

/// RS256 and ES256 tokens verified with `APEX_JWT_PUBLIC_KEY` (PEM) or `APEX_JWT_JWKS`, and
/// the algorithm confusions a server must not fall for.
@Suite struct AuthPublicKeyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let folder: KeyFolder

    init() throws {
        folder = try KeyFolder()
    }

    func configuration(_ environment: [String: String]) async throws -> AuthConfiguration {
        try await AuthConfiguration.fromEnvironment(environment)
    }

    func publicKeyServer(_ pem: String) async throws -> AuthConfiguration {
        try await configuration(["APEX_JWT_PUBLIC_KEY": folder.write("public.pem", pem)])
    }

    func failure(_ result: Result<Principal, AuthFailure>) -> String? {
        if case .failure(let failure) = result { failure.description } else { nil }
    }

    @Test func anRS256TokenVerifiesWithThePEMPublicKey() async throws {
        let auth = try await publicKeyServer(TestKeys.rsa.publicKey.pemRepresentation)
        #expect(auth.description == "authentication on: RS256 (1 key)")
        let token = try await TestIssuer.rs256().token(.valid(at: now))
        #expect(try await auth.authenticate(bearer: token, now: now).get().subject == "tester")
        let otherKey = try await TestIssuer.rs256(TestKeys.otherRSA).token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: otherKey, now: now)) == "the token's signature does not verify")
    }

    @Test func anES256TokenVerifiesWithThePEMPublicKey() async throws {
        let auth = try await publicKeyServer(TestKeys.ec.publicKey.pemRepresentation)
        #expect(auth.description == "authentication on: ES256 (1 key)")
        let token = try await TestIssuer.es256().token(.valid(at: now))
        #expect(try await auth.authenticate(bearer: token, now: now).get().subject == "tester")
        let otherKey = try await TestIssuer.es256(ES256PrivateKey()).token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: otherKey, now: now)) == "the token's signature does not verify")
        let rsaToken = try await TestIssuer.rs256().token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: rsaToken, now: now))?.contains("RS256 is not accepted; this server accepts ES256") == true)
    }

    /// The classic confusion: the attacker knows the public key and uses its PEM text as an HMAC
    /// secret, hoping the server verifies HS256 with "its key".
    @Test func anHS256TokenSignedWithThePublicKeyPEMIsRefusedOnAnRSAServer() async throws {
        let pem = TestKeys.rsa.publicKey.pemRepresentation
        let auth = try await publicKeyServer(pem)
        let exp = Int(now.timeIntervalSince1970) + 600
        let forged = HandToken.hs256(payload: #"{"exp":\#(exp),"scope":"runs:write workflows:write"}"#, key: Array(pem.utf8))
        let result = await auth.authenticate(bearer: forged, now: now)
        #expect(failure(result) == "the token's algorithm HS256 is not accepted; this server accepts RS256")
        let fileBytes = try Array(Data(contentsOf: URL(fileURLWithPath: folder.path + "/public.pem")))
        let forgedWithFile = HandToken.hs256(payload: #"{"exp":\#(exp)}"#, key: fileBytes)
        #expect(failure(await auth.authenticate(bearer: forgedWithFile, now: now)) != nil)
    }

    @Test func anRS256TokenIsRefusedOnAnHS256OnlyServer() async throws {
        let auth = try await configuration(["APEX_JWT_SECRET": TestKeys.secret])
        let token = try await TestIssuer.rs256().token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: token, now: now)) == "the token's algorithm RS256 is not accepted; this server accepts HS256")
    }

    @Test func aServerWithASecretAndAPublicKeyAcceptsEachForItsOwnAlgorithm() async throws {
        let auth = try await configuration(["APEX_JWT_SECRET": TestKeys.secret,
                                            "APEX_JWT_PUBLIC_KEY": folder.write("public.pem", TestKeys.rsa.publicKey.pemRepresentation)])
        #expect(auth.description == "authentication on: HS256, RS256 (2 keys)")
        _ = try await auth.authenticate(bearer: try await TestIssuer.hs256().token(.valid(at: now)), now: now).get()
        _ = try await auth.authenticate(bearer: try await TestIssuer.rs256().token(.valid(at: now)), now: now).get()
        let pem = TestKeys.rsa.publicKey.pemRepresentation
        let forged = HandToken.hs256(payload: #"{"exp":\#(Int(now.timeIntervalSince1970) + 600)}"#, key: Array(pem.utf8))
        #expect(failure(await auth.authenticate(bearer: forged, now: now)) == "the token's signature does not verify")
    }

    @Test func aJWKSFileVerifiesTokensByKid() async throws {
        let (modulus, exponent) = try TestKeys.rsa.publicKey.getKeyPrimitives()
        let ec = try #require(TestKeys.ec.publicKey.parameters)
        let jwks = """
            {"keys": [
              {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "rsa-1", "n": "\(HandToken.base64URL(Array(modulus)))", "e": "\(HandToken.base64URL(Array(exponent)))"},
              {"kty": "EC", "crv": "P-256", "kid": "ec-1", "x": "\(ec.x)", "y": "\(ec.y)"},
              {"kty": "RSA", "use": "enc", "kid": "enc-1", "n": "AQAB", "e": "AQAB"},
              {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}
            ]}
            """
        let auth = try await configuration(["APEX_JWT_JWKS": folder.write("jwks.json", jwks)])
        #expect(auth.description == "authentication on: ES256, RS256 (2 keys)")
        _ = try await auth.authenticate(bearer: try await TestIssuer.rs256(kid: "rsa-1").token(.valid(at: now)), now: now).get()
        _ = try await auth.authenticate(bearer: try await TestIssuer.es256(kid: "ec-1").token(.valid(at: now)), now: now).get()
        _ = try await auth.authenticate(bearer: try await TestIssuer.rs256().token(.valid(at: now)), now: now).get()

        let impostor = try await TestIssuer.rs256(TestKeys.otherRSA, kid: "rsa-1").token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: impostor, now: now)) == "the token's signature does not verify")
        let unknownKid = try await TestIssuer.rs256(kid: "rsa-2").token(.valid(at: now))
        #expect(failure(await auth.authenticate(bearer: unknownKid, now: now)) == "no key of this server has the token's key id (kid)")
        let hmacKid = HandToken.hs256(payload: #"{"exp":\#(Int(now.timeIntervalSince1970) + 600)}"#, key: Array("secret".utf8),
                                      header: #"{"alg":"HS256","kid":"hmac"}"#)
        #expect(failure(await auth.authenticate(bearer: hmacKid, now: now))?.contains("HS256 is not accepted") == true)
    }
}
