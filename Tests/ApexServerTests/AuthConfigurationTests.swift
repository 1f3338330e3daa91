import ApexServer
import Foundation
import Testing

/// Reading the environment: auth off without a key, and clear errors, never showing a secret,
/// for settings that cannot be used.
@Suite struct AuthConfigurationTests {
    let folder: KeyFolder

    init() throws {
        folder = try KeyFolder()
    }

    func configurationError(_ environment: [String: String]) async -> AuthConfigurationError? {
        do {
            _ = try await AuthConfiguration.fromEnvironment(environment)
            return nil
        } catch {
            return error as? AuthConfigurationError
        }
    }

    @Test func withoutAKeyAuthenticationIsOffAndEveryRequestIsUnrestricted() async throws {
        let auth = try await AuthConfiguration.fromEnvironment(["APEX_WEBHOOK_SECRET": TestKeys.secret])
        #expect(!auth.isEnabled)
        #expect(auth.description == "authentication off (none of APEX_JWT_SECRET, APEX_JWT_PUBLIC_KEY, APEX_JWT_JWKS is set)")
        let principal = try await auth.authenticate(bearer: nil).get()
        #expect(principal == .unrestricted)
        #expect(principal.check(namespace: "billing", scope: .workflowsWrite) == nil)
        #expect(auth.webhooks.secretVariables == ["APEX_WEBHOOK_SECRET"])
    }

    @Test func aSecretIsOnWhenConfigured() async throws {
        let auth = try await AuthConfiguration.fromEnvironment(["APEX_JWT_SECRET": TestKeys.secret, "APEX_JWT_ISSUER": "https://id.example.com",
                                                                "APEX_JWT_AUDIENCE": "apex"])
        #expect(auth.isEnabled)
        #expect(auth.description == "authentication on: HS256 (1 key), issuer https://id.example.com, audience apex")
        #expect(!auth.description.contains(TestKeys.secret))
    }

    @Test(arguments: ["APEX_JWT_SECRET", "APEX_WEBHOOK_SECRET", "APEX_WEBHOOK_SECRET_BILLING_EU"])
    func aSecretShorterThan32BytesIsRefusedWithoutShowingIt(variable: String) async throws {
        let secret = "hunter2-but-longer-31-bytes-xyz"
        #expect(secret.utf8.count == 31)
        let error = try #require(await configurationError([variable: secret]))
        #expect(error.variable == variable)
        #expect(error.description.hasPrefix("\(variable) is 31 bytes long; a secret must be at least 32 bytes"))
        #expect(!error.description.contains(secret))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func anEmptySecretIsRefusedRatherThanTurningAuthenticationOff() async throws {
        let error = try #require(await configurationError(["APEX_JWT_SECRET": ""]))
        #expect(error.description.hasPrefix("APEX_JWT_SECRET is set but empty; a secret must be at least 32 bytes"))
    }

    @Test func aMissingOrUnreadableKeyFileIsNamed() async throws {
        let missing = try #require(await configurationError(["APEX_JWT_PUBLIC_KEY": folder.path + "/nope.pem"]))
        #expect(missing.description == "APEX_JWT_PUBLIC_KEY names \(folder.path)/nope.pem, which does not exist")
        let folderError = try #require(await configurationError(["APEX_JWT_JWKS": folder.path]))
        #expect(folderError.description == "APEX_JWT_JWKS names \(folder.path), which cannot be read as a file")
    }

    @Test func aFileThatIsNotAPublicKeyIsRefused() async throws {
        let path = try folder.write("bad.pem", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n")
        let error = try #require(await configurationError(["APEX_JWT_PUBLIC_KEY": path]))
        #expect(error.description.contains("which is not a PEM public key (-----BEGIN PUBLIC KEY-----) of RSA with at least 2048 bits or of EC P-256"))
    }

    @Test func aPrivateKeyIsRefusedAndNotShown() async throws {
        let pem = TestKeys.rsa.pemRepresentation
        let path = try folder.write("private.pem", pem)
        let error = try #require(await configurationError(["APEX_JWT_PUBLIC_KEY": path]))
        #expect(error.description.contains("which holds a private key; give the public key only"))
        let body = pem.split(separator: "\n")[1]
        #expect(!error.description.contains(body))
    }

    @Test(arguments: [
        ("[1, 2]", "which is not a JWKS document"),
        (#"{"keys": []}"#, "which has no RS256 or ES256 signing key"),
        (#"{"keys": [{"kty": "RSA", "kid": "a", "n": "AQAB", "e": "AQAB"}]}"#, "whose key \"a\" is not an RSA public key of at least 2048 bits"),
        (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}"#, "whose keys[0] is not an EC P-256 public key"),
        (#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "p", "d": "c2VjcmV0", "x": "AA", "y": "AA"}]}"#, "whose key \"p\" is a private key"),
    ])
    func aBadJWKSFileIsRefused(json: String, problem: String) async throws {
        let path = try folder.write("jwks.json", json)
        let error = try #require(await configurationError(["APEX_JWT_JWKS": path]))
        #expect(error.description == "APEX_JWT_JWKS names \(path), \(problem)" || error.description.hasPrefix("APEX_JWT_JWKS names \(path), \(problem)"))
        #expect(!error.description.contains("c2VjcmV0"))
    }

    @Test(arguments: ["APEX_JWT_ISSUER", "APEX_JWT_AUDIENCE"])
    func anIssuerOrAudienceWithoutAKeyIsRefused(variable: String) async throws {
        let error = try #require(await configurationError([variable: "apex"]))
        #expect(error.description.hasPrefix("\(variable) is set but no JWT key is, so authentication would be off"))
    }
}
