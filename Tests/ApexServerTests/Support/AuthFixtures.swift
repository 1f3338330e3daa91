import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Claims as a test issuer writes them; nil members are left out of the token.
struct TestClaims: JWTPayload {
    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var namespace: String?
    var scope: String?

    /// Claims valid for an hour from `now`, without namespace or scope.
    static func valid(at now: Date) -> TestClaims {
        TestClaims(sub: "tester", exp: ExpirationClaim(value: now.addingTimeInterval(3600)))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Keys made once per test process (an RSA key takes a while to generate).
enum TestKeys {
    static let secret = "test-secret-0123456789abcdef0123456789abcdef"
    static let rsa = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    static let otherRSA = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    static let ec = ES256PrivateKey()
}

/// Signs tokens with jwt-kit, as a real identity provider would.
struct TestIssuer {
    let keys: JWTKeyCollection
    let kid: JWKIdentifier?

    static func hs256(_ secret: String = TestKeys.secret) async -> TestIssuer {
        TestIssuer(keys: await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256), kid: nil)
    }

    static func rs256(_ key: JWTKit.Insecure.RSA.PrivateKey = TestKeys.rsa, kid: String? = nil) async -> TestIssuer {
        let kid = kid.map { JWKIdentifier(string: $0) }
        return TestIssuer(keys: await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: kid), kid: kid)
    }

    static func es256(_ key: ES256PrivateKey = TestKeys.ec, kid: String? = nil) async -> TestIssuer {
        let kid = kid.map { JWKIdentifier(string: $0) }
        return TestIssuer(keys: await JWTKeyCollection().add(ecdsa: key, kid: kid), kid: kid)
    }

    func token(_ claims: TestClaims) async throws -> String {
        try await keys.sign(claims, kid: kid)
    }
}

/// Tokens built byte by byte, for what no library would sign (`alg: none`, a public key's PEM
/// as an HMAC secret).
enum HandToken {
    static func make(header: String, payload: String, signature: [UInt8]) -> String {
        [base64URL(Array(header.utf8)), base64URL(Array(payload.utf8)), base64URL(signature)].joined(separator: ".")
    }

    /// An HS256 token whose HMAC key is `key`'s bytes.
    static func hs256(payload: String, key: [UInt8], header: String = #"{"alg":"HS256","typ":"JWT"}"#) -> String {
        let input = base64URL(Array(header.utf8)) + "." + base64URL(Array(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: key))
        return input + "." + base64URL(Array(mac))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A fresh folder for key files, removed when released.
final class KeyFolder {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("apex-auth-tests-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` in the folder; returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}
